using System.Text.Json;

namespace QuestAspire.Web.ComponentTests;

public sealed class QuestBoardTests
{
    private static readonly DateTimeOffset SignedInAt = DateTimeOffset.Parse("2026-11-24T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly Reward Diamonds = new(Guid.NewGuid(), "signin_three", "diamond", 10, true);
    private static readonly Quest SignInThree = new(Guid.NewGuid(), "signin_three", "Sign in 3 times", 3, 2, false, true, Diamonds);

    [Fact]
    public void Build_SignInNotYetInTheEventLog_IsProcessing()
    {
        var earlier = Event("UserSignIn", SignedInAt.AddMinutes(-5));

        var board = QuestBoard.Build([SignInThree], [Progress(SignInThree, 1, 0)], [], QuestBoard.IsRecorded(earlier, SignedInAt));

        Assert.True(board.IsProcessing);
    }

    [Fact]
    public void Build_SignInRecordedAndEveryCompletionClaimed_IsUpToDate()
    {
        var board = QuestBoard.Build(
            [SignInThree], [Progress(SignInThree, 0, 1)], [Claim(SignInThree, "Pending")], QuestBoard.IsRecorded(Event("QuestCompleted", SignedInAt.AddMilliseconds(300)), SignedInAt));

        Assert.False(board.IsProcessing);
        var card = Assert.Single(board.Cards);
        Assert.Equal((0L, 1, 1), (card.Progress, card.Completions, card.PendingClaims));
    }

    [Fact]
    public void Build_CompletionWhoseClaimAuthHasNotStoredYet_IsProcessing()
    {
        var board = QuestBoard.Build([SignInThree], [Progress(SignInThree, 0, 1)], [], QuestBoard.IsRecorded(Event("QuestCompleted", SignedInAt.AddSeconds(1)), SignedInAt));

        Assert.True(board.IsProcessing);
    }

    [Fact]
    public void Build_ShowsActiveQuestsOnly_AtZeroBeforeTheirFirstSignIn()
    {
        var retired = SignInThree with { QuestId = Guid.NewGuid(), Name = "retired", IsActive = false };
        var fresh = SignInThree with { QuestId = Guid.NewGuid(), Name = "fresh" };

        var board = QuestBoard.Build([retired, SignInThree, fresh], [Progress(SignInThree, 2, 0)], [], QuestBoard.IsRecorded(Event("UserSignIn", SignedInAt), SignedInAt));

        Assert.Equal(["fresh", "signin_three"], board.Cards.Select(c => c.Quest.Name));
        Assert.Equal((0L, 0), (board.Cards[0].Progress, board.Cards[0].Completions));
        Assert.Equal(66, board.Cards[1].ProgressPercent);
    }

    private static QuestProgress Progress(Quest quest, int progress, int completions) =>
        new(quest.QuestId, quest.Name, progress, quest.Streak, completions, quest.Duplication, SignedInAt);

    private static RewardClaim Claim(Quest quest, string status) =>
        new(Guid.NewGuid(), quest.QuestId, quest.Name, quest.Reward.Item, quest.Reward.Qty, status, SignedInAt, null);

    private static ActivityEvent Event(string type, DateTimeOffset at) =>
        new(Guid.NewGuid(), type, TestServices.Player.UserId, at, at, JsonSerializer.SerializeToElement(new { }));
}
