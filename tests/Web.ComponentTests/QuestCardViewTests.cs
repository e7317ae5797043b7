using QuestAspire.Web.Components.Shared;

namespace QuestAspire.Web.ComponentTests;

/// <summary>A quest card shows its kind: period and time left, streak and freezes, window, lock.</summary>
public sealed class QuestCardViewTests : BunitContext
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-24T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly Reward Gold = new(Guid.NewGuid(), "five_gold", "gold", 5, true);
    private static readonly Quest Count = new(Guid.NewGuid(), "signin_three", "Sign in 3 times", 3, 2, false, true, Gold);

    [Fact]
    public void CountQuest_ShowsSignInsAndNoKindBadges()
    {
        var card = Render(new QuestCard(Count, 2, 1, 0, State(Count) with { Kind = QuestKinds.Count }));

        Assert.Equal("2 / 3", card.Find("[data-testid=progress]").TextContent);
        Assert.Contains("Sign-ins", card.Markup, StringComparison.Ordinal);
        foreach (var badge in new[] { "period-badge", "streak-flame", "freezes-left", "countdown", "quest-lock" })
        {
            Assert.Empty(card.FindAll($"[data-testid={badge}]"));
        }
    }

    [Fact]
    public void DailyQuest_ShowsItsBadgeWithTheTimeLeftInThePeriod()
    {
        var daily = Count with { Reset = QuestKinds.Daily };
        var state = State(daily) with { Reset = QuestKinds.Daily, PeriodEndsAt = Now.AddHours(5).AddMinutes(12), TimeZone = "Asia/Tokyo" };

        var card = Render(new QuestCard(daily, 0, 0, 0, state));

        var badge = card.Find("[data-testid=period-badge]");
        Assert.Equal("Daily · 5 h 12 min left", badge.TextContent.Trim());
        Assert.Contains("Asia/Tokyo", badge.GetAttribute("title"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(QuestKinds.Weekly, 50, "Weekly · 2 d 2 h left")]
    [InlineData("0 18 * * 5", 0.5, "Repeats · 30 min left")]
    public void WeeklyAndCronQuests_ShowTheirBadge(string reset, double hoursLeft, string expected)
    {
        var quest = Count with { Reset = reset };
        var card = Render(new QuestCard(quest, 0, 0, 0, State(quest) with { Reset = reset, PeriodEndsAt = Now.AddHours(hoursLeft) }));

        Assert.Equal(expected, card.Find("[data-testid=period-badge]").TextContent.Trim());
    }

    [Fact]
    public void DailyStreak_ShowsTheFlameWithTheDaysAndTheFreezesLeft()
    {
        var streak = Count with { Kind = QuestKinds.DailyStreak, Streak = 7, Freezes = 2, EventType = "match_won" };
        var state = State(streak) with { Kind = QuestKinds.DailyStreak, StreakDays = 3, Freezes = 2, FreezesLeft = 1 };

        var card = Render(new QuestCard(streak, 3, 0, 0, state));

        Assert.Equal("3 days", card.Find("[data-testid=streak-flame]").TextContent.Trim());
        Assert.Equal("1 of 2 freezes left", card.Find("[data-testid=freezes-left]").TextContent.Trim());
        Assert.Equal("3 / 7", card.Find("[data-testid=progress]").TextContent);
        Assert.Contains("Days in a row", card.Markup, StringComparison.Ordinal);
        Assert.Equal(QuestKinds.DailyStreak, card.Find("[data-testid=quest]").GetAttribute("data-kind"));
    }

    [Fact]
    public void DailyStreak_OfOneDay_SaysDay()
    {
        var streak = Count with { Kind = QuestKinds.DailyStreak, Freezes = 1 };
        var state = State(streak) with { Kind = QuestKinds.DailyStreak, StreakDays = 1, Freezes = 1, FreezesLeft = 1 };

        var card = Render(new QuestCard(streak, 1, 0, 0, state));

        Assert.Equal("1 day", card.Find("[data-testid=streak-flame]").TextContent.Trim());
        Assert.Equal("1 of 1 freeze left", card.Find("[data-testid=freezes-left]").TextContent.Trim());
    }

    [Theory]
    [InlineData(-1, 49, "Ends in 2 d 1 h")]
    [InlineData(2, 49, "Starts in 2 h 0 min")]
    [InlineData(-49, -1, "Ended")]
    public void TimeLimitedQuest_ShowsACountdown(double startHours, double endHours, string expected)
    {
        var windowed = Count with { StartsAt = Now.AddHours(startHours), EndsAt = Now.AddHours(endHours) };
        var card = Render(new QuestCard(windowed, 0, 0, 0, State(windowed) with { StartsAt = windowed.StartsAt, EndsAt = windowed.EndsAt }));

        Assert.Equal(expected, card.Find("[data-testid=countdown]").TextContent.Trim());
    }

    [Fact]
    public void LockedQuest_NamesTheQuestsToCompleteFirst()
    {
        var chained = Count with { Name = "second" };
        var state = State(chained) with
        {
            Locked = true,
            LockedBy = [new QuestReference(Guid.NewGuid(), "first"), new QuestReference(Guid.NewGuid(), "warm_up")],
        };

        var card = Render(new QuestCard(chained, 0, 0, 0, state));

        Assert.Equal("Locked: complete first and warm_up first.", card.Find("[data-testid=quest-lock]").TextContent.Trim());
        Assert.Contains("locked", card.Find("[data-testid=quest]").ClassList);
    }

    [Fact]
    public void QuestTheWorkerHasNotListedYet_ShowsTheCatalogsKind()
    {
        var daily = Count with { Reset = QuestKinds.Daily, Kind = QuestKinds.DailyStreak, Freezes = 1 };

        var card = Render(new QuestCard(daily, 0, 0, 0, State: null));

        Assert.Equal("Daily", card.Find("[data-testid=period-badge]").TextContent.Trim());
        Assert.Equal("0 days", card.Find("[data-testid=streak-flame]").TextContent.Trim());
        Assert.Equal("1 of 1 freeze left", card.Find("[data-testid=freezes-left]").TextContent.Trim());
        Assert.Empty(card.FindAll("[data-testid=quest-lock]"));
    }

    [Fact]
    public void SumQuest_CountsPoints()
    {
        var sum = Count with { ValueMode = QuestKinds.SumMode, EventType = "points", Streak = 1000 };

        var card = Render(new QuestCard(sum, 3_000_000_000, 0, 0, State(sum) with { ValueMode = QuestKinds.SumMode }));

        Assert.Contains("Points", card.Markup, StringComparison.Ordinal);
        Assert.Equal("3000000000 / 1000", card.Find("[data-testid=progress]").TextContent);
    }

    // The card's Explain button asks whether the page is interactive.
    private IRenderedComponent<QuestCardView> Render(QuestCard questCard)
    {
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        return Render<QuestCardView>(p => p.Add(c => c.Card, questCard).Add(c => c.Now, Now));
    }

    private static QuestProgress State(Quest quest) =>
        new(quest.QuestId, quest.Name, 0, quest.Streak, 0, quest.Duplication, null) { EventType = quest.EventType, Kind = quest.Kind, ValueMode = quest.ValueMode };
}
