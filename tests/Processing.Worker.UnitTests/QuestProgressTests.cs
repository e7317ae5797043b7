using QuestAspire.Quests;

namespace QuestAspire.Processing.Worker.UnitTests;

public sealed class QuestProgressTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    // One symbol per sign-in: "+" counted toward the next completion, "1", "2", … completed the
    // quest for that time, "=" the limit was reached and nothing changed.
    public static TheoryData<int, int, string> Outcomes => new()
    {
        { 3, 2, "+ + 1 + + 2 = = = =" }, // the seed quest: 3 → 1, 6 → 2, 9 → still 2
        { 1, 2, "1 2 = = = = = = = =" },
        { 1, 1, "1 = = = = = = = = =" },
        { 3, 1, "+ + 1 = = = = = = =" },
        { 2, 3, "+ 1 + 2 + 3 = = = =" },
        { 5, 2, "+ + + + 1 + + + + 2" },
        { 3, 0, "= = = = = = = = = =" },
    };

    [Theory]
    [MemberData(nameof(Outcomes))]
    public void Count_TenSignIns_GivesEachOutcomeInTurn(int streak, int duplication, string expected)
    {
        var quest = Quest(streak, duplication);
        var progress = QuestProgress.Start(Guid.NewGuid(), quest.QuestId, QuestPeriod.Forever.Start, Start);

        var outcomes = Enumerable.Range(1, 10).Select(i => Describe(progress.Count(quest, 1, Start.AddMinutes(i))));

        Assert.Equal(expected, string.Join(' ', outcomes));
    }

    [Theory]
    [InlineData(3, 2, 1, 1, 0)]
    [InlineData(3, 2, 2, 2, 0)]
    [InlineData(3, 2, 3, 0, 1)]
    [InlineData(3, 2, 4, 1, 1)]
    [InlineData(3, 2, 5, 2, 1)]
    [InlineData(3, 2, 6, 0, 2)]
    [InlineData(3, 2, 7, 0, 2)]
    [InlineData(3, 2, 8, 0, 2)]
    [InlineData(3, 2, 9, 0, 2)]
    [InlineData(3, 2, 10, 0, 2)]
    [InlineData(1, 2, 1, 0, 1)]
    [InlineData(1, 2, 10, 0, 2)]
    [InlineData(1, 1, 10, 0, 1)]
    [InlineData(3, 1, 4, 0, 1)]
    [InlineData(3, 0, 2, 0, 0)]
    public void Count_AfterSignIns_HasProgressAndCompletions(int streak, int duplication, int signIns, int progress, int completions)
    {
        var quest = Quest(streak, duplication);
        var state = QuestProgress.Start(Guid.NewGuid(), quest.QuestId, QuestPeriod.Forever.Start, Start);

        for (var i = 0; i < signIns; i++)
        {
            state.Count(quest, 1, Start.AddMinutes(i));
        }

        Assert.Equal((progress, completions), (state.Progress, state.Completions));
    }

    [Fact]
    public void Count_LimitReached_LeavesProgressAndTimeAsTheyWere()
    {
        var quest = Quest(streak: 3, duplication: 2);
        var state = QuestProgress.Start(Guid.NewGuid(), quest.QuestId, QuestPeriod.Forever.Start, Start);
        for (var i = 1; i <= 6; i++)
        {
            state.Count(quest, 1, Start.AddMinutes(i));
        }

        var outcome = state.Count(quest, 1, Start.AddDays(1));

        Assert.Equal(CountOutcome.LimitReached, outcome);
        Assert.Equal((0, 2, Start.AddMinutes(6)), (state.Progress, state.Completions, state.UpdatedAt));
    }

    [Fact]
    public void Count_DuplicationLoweredMidway_StopsWithProgressKept()
    {
        var quest = Quest(streak: 3, duplication: 2);
        var state = QuestProgress.Start(Guid.NewGuid(), quest.QuestId, QuestPeriod.Forever.Start, Start);
        for (var i = 1; i <= 4; i++)
        {
            state.Count(quest, 1, Start.AddMinutes(i));
        }

        var outcome = state.Count(new QuestRule(quest.QuestId, quest.Name, quest.Streak, Duplication: 1), 1, Start.AddMinutes(5));

        Assert.Equal(CountOutcome.LimitReached, outcome);
        Assert.Equal((1, 1), (state.Progress, state.Completions));
    }

    [Fact]
    public void Count_StreakLoweredBelowProgress_CompletesOnTheNextSignIn()
    {
        var quest = Quest(streak: 5, duplication: 2);
        var state = QuestProgress.Start(Guid.NewGuid(), quest.QuestId, QuestPeriod.Forever.Start, Start);
        for (var i = 1; i <= 3; i++)
        {
            state.Count(quest, 1, Start.AddMinutes(i));
        }

        var outcome = state.Count(new QuestRule(quest.QuestId, quest.Name, Streak: 2, quest.Duplication), 1, Start.AddMinutes(4));

        Assert.Equal(CountOutcome.Completed(1), outcome);
        Assert.Equal((0, 1), (state.Progress, state.Completions));
    }

    [Fact]
    public void Count_Counted_MovesUpdatedAt()
    {
        var quest = Quest(streak: 3, duplication: 2);
        var state = QuestProgress.Start(Guid.NewGuid(), quest.QuestId, QuestPeriod.Forever.Start, Start);

        state.Count(quest, 1, Start.AddHours(1));

        Assert.Equal(Start.AddHours(1), state.UpdatedAt);
    }

    [Fact]
    public void Count_OtherQuest_Throws()
    {
        var state = QuestProgress.Start(Guid.NewGuid(), Guid.NewGuid(), QuestPeriod.Forever.Start, Start);

        Assert.Throws<ArgumentException>(() => state.Count(Quest(3, 2), 1, Start));
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(-1, 2)]
    [InlineData(3, -1)]
    public void QuestRule_InvalidStreakOrDuplication_Throws(int streak, int duplication)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new QuestRule(Guid.NewGuid(), "bad", streak, duplication));
    }

    private static QuestRule Quest(int streak, int duplication) =>
        new(Guid.Parse("0199a8f0-0000-7000-8000-000000000001"), "signin_three", streak, duplication);

    private static string Describe(CountOutcome outcome) => outcome.Result switch
    {
        CountResult.Progressed => "+",
        CountResult.Completed => outcome.Completion.ToString(System.Globalization.CultureInfo.InvariantCulture),
        CountResult.LimitReached => "=",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };
}
