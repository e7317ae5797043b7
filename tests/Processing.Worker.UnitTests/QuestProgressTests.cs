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
    public void RecordSignIn_TenSignIns_GivesEachOutcomeInTurn(int streak, int duplication, string expected)
    {
        var quest = Quest(streak, duplication);
        var progress = QuestProgress.Start(Guid.NewGuid(), quest.QuestId, Start);

        var outcomes = Enumerable.Range(1, 10).Select(i => Describe(progress.RecordSignIn(quest, Start.AddMinutes(i))));

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
    public void RecordSignIn_AfterSignIns_HasProgressAndCompletions(int streak, int duplication, int signIns, int progress, int completions)
    {
        var quest = Quest(streak, duplication);
        var state = QuestProgress.Start(Guid.NewGuid(), quest.QuestId, Start);

        for (var i = 0; i < signIns; i++)
        {
            state.RecordSignIn(quest, Start.AddMinutes(i));
        }

        Assert.Equal((progress, completions), (state.Progress, state.Completions));
    }

    [Fact]
    public void RecordSignIn_LimitReached_LeavesProgressAndTimeAsTheyWere()
    {
        var quest = Quest(streak: 3, duplication: 2);
        var state = QuestProgress.Start(Guid.NewGuid(), quest.QuestId, Start);
        for (var i = 1; i <= 6; i++)
        {
            state.RecordSignIn(quest, Start.AddMinutes(i));
        }

        var outcome = state.RecordSignIn(quest, Start.AddDays(1));

        Assert.Equal(SignInOutcome.LimitReached, outcome);
        Assert.Equal((0, 2, Start.AddMinutes(6)), (state.Progress, state.Completions, state.UpdatedAt));
    }

    [Fact]
    public void RecordSignIn_DuplicationLoweredMidway_StopsWithProgressKept()
    {
        var quest = Quest(streak: 3, duplication: 2);
        var state = QuestProgress.Start(Guid.NewGuid(), quest.QuestId, Start);
        for (var i = 1; i <= 4; i++)
        {
            state.RecordSignIn(quest, Start.AddMinutes(i));
        }

        var outcome = state.RecordSignIn(new QuestRule(quest.QuestId, quest.Name, quest.Streak, Duplication: 1), Start.AddMinutes(5));

        Assert.Equal(SignInOutcome.LimitReached, outcome);
        Assert.Equal((1, 1), (state.Progress, state.Completions));
    }

    [Fact]
    public void RecordSignIn_StreakLoweredBelowProgress_CompletesOnTheNextSignIn()
    {
        var quest = Quest(streak: 5, duplication: 2);
        var state = QuestProgress.Start(Guid.NewGuid(), quest.QuestId, Start);
        for (var i = 1; i <= 3; i++)
        {
            state.RecordSignIn(quest, Start.AddMinutes(i));
        }

        var outcome = state.RecordSignIn(new QuestRule(quest.QuestId, quest.Name, Streak: 2, quest.Duplication), Start.AddMinutes(4));

        Assert.Equal(SignInOutcome.Completed(1), outcome);
        Assert.Equal((0, 1), (state.Progress, state.Completions));
    }

    [Fact]
    public void RecordSignIn_Counted_MovesUpdatedAt()
    {
        var quest = Quest(streak: 3, duplication: 2);
        var state = QuestProgress.Start(Guid.NewGuid(), quest.QuestId, Start);

        state.RecordSignIn(quest, Start.AddHours(1));

        Assert.Equal(Start.AddHours(1), state.UpdatedAt);
    }

    [Fact]
    public void RecordSignIn_OtherQuest_Throws()
    {
        var state = QuestProgress.Start(Guid.NewGuid(), Guid.NewGuid(), Start);

        Assert.Throws<ArgumentException>(() => state.RecordSignIn(Quest(3, 2), Start));
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

    private static string Describe(SignInOutcome outcome) => outcome.Result switch
    {
        SignInResult.Progressed => "+",
        SignInResult.Completed => outcome.Completion.ToString(System.Globalization.CultureInfo.InvariantCulture),
        SignInResult.LimitReached => "=",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };
}
