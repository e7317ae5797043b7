using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using NodaTime;
using QuestAspire.Quests;

namespace QuestAspire.Processing.Worker.UnitTests;

/// <summary>
/// The rules over events with their own <c>occurred_at</c>, the clock (a FakeTimeProvider) only
/// deciding what is past the grace window. One symbol per event: "+" counted, "1", "2", … the
/// completion it made, "=" limit reached, "d" day already counted, "w" outside window, "p"
/// precondition not met, "l" too late.
/// </summary>
public sealed class QuestEngineTests
{
    private static readonly QuestEngine Engine = new(QuestEngine.DefaultGraceWindow);

    private static readonly DateTimeOffset Now = At("2026-12-20T12:00:00Z");

    // Starts early in the year; each test moves it forward (a FakeTimeProvider never goes back).
    private readonly FakeTimeProvider _clock = new(At("2026-01-01T00:00:00Z"));

    public static TheoryData<string, string, string, string> Streaks => new()
    {
        // target 3 days, 0 freezes; zone; events (UTC); outcomes
        { "3/0", "UTC", "2026-12-01T10:00Z 2026-12-02T10:00Z 2026-12-03T10:00Z", "+ + 1" },
        // A missed day without a freeze starts again: the 4th and 5th are only two days in a row.
        { "3/0", "UTC", "2026-12-01T10:00Z 2026-12-02T10:00Z 2026-12-04T10:00Z 2026-12-05T10:00Z", "+ + + +" },
        // With a freeze the missed 3rd is forgiven.
        { "3/1", "UTC", "2026-12-01T10:00Z 2026-12-02T10:00Z 2026-12-04T10:00Z", "+ + 1" },
        // One freeze forgives one missed day, not two.
        { "3/1", "UTC", "2026-12-01T10:00Z 2026-12-02T10:00Z 2026-12-05T10:00Z 2026-12-06T10:00Z", "+ + + +" },
        // Twice on one day counts one day.
        { "3/0", "UTC", "2026-12-01T10:00Z 2026-12-01T11:00Z 2026-12-02T10:00Z 2026-12-03T10:00Z", "+ d + 1" },
        // Out of order: the 2nd arrives last and joins the 1st and the 3rd.
        { "3/0", "UTC", "2026-12-03T10:00Z 2026-12-01T10:00Z 2026-12-02T10:00Z", "+ + 1" },
        // Tokyo: 16:00Z on the 1st and 14:00Z on the 2nd are one local day (the 2nd); 15:30Z on the 2nd is the 3rd.
        { "2/0", "Asia/Tokyo", "2026-12-01T16:00Z 2026-12-02T14:00Z 2026-12-02T15:30Z", "+ d 1" },
        // The same events in UTC are two days.
        { "2/0", "UTC", "2026-12-01T16:00Z 2026-12-02T14:00Z", "+ 1" },
        // New York over the March change: 23:30 on the 7th (EST) and 23:30 on the 8th (EDT) are consecutive days.
        { "2/0", "America/New_York", "2026-03-08T04:30Z 2026-03-09T03:30Z", "+ 1" },
        // ... and over November's: 00:30 on the 1st (EDT) and 23:30 on the 1st (EST) are one day.
        { "2/0", "America/New_York", "2026-11-01T04:30Z 2026-11-02T04:30Z", "+ d" },
        // After a completion the spent days do not count again, even arriving late.
        { "2/0", "UTC", "2026-12-01T10:00Z 2026-12-02T10:00Z 2026-12-01T12:00Z 2026-12-03T10:00Z 2026-12-04T10:00Z", "+ 1 d + 2" },
    };

    [Theory]
    [MemberData(nameof(Streaks))]
    public void DailyStreak_CountsLocalDays(string targetAndFreezes, string zone, string events, string expected)
    {
        var parts = targetAndFreezes.Split('/');
        var quest = Quest(int.Parse(parts[0], CultureInfo.InvariantCulture), duplication: 5) with
        {
            Kind = QuestKind.DailyStreak,
            Freezes = int.Parse(parts[1], CultureInfo.InvariantCulture),
        };
        Assert.Equal(expected, Run(quest, zone, events));
    }

    [Fact]
    public void SeedQuest_CompletesAtThreeAndSix_StopsAtTwo()
    {
        var quest = Quest(3, 2);
        var nine = string.Join(' ', Enumerable.Range(0, 9).Select(i => $"2026-12-19T10:{i:00}Z"));

        Assert.Equal("+ + 1 + + 2 = = =", Run(quest, "UTC", nine));
    }

    public static TheoryData<string?, string, string, string> Resets => new()
    {
        // Daily, once a day: a completion on each local day, the limit within a day.
        { "daily", "UTC", "2026-12-18T10:00Z 2026-12-18T11:00Z 2026-12-19T09:00Z", "1 = 1" },
        // In Tokyo 14:00Z and 16:00Z are different local days (the 18th ends at 15:00Z).
        { "daily", "Asia/Tokyo", "2026-12-18T14:00Z 2026-12-18T16:00Z", "1 1" },
        // A late event from yesterday counts toward yesterday, not toward today's limit.
        { "daily", "UTC", "2026-12-19T10:00Z 2026-12-18T10:00Z 2026-12-19T11:00Z", "1 1 =" },
        // Weekly (ISO, Monday): Sunday the 13th and Monday the 14th are different weeks; Tuesday the 15th is Monday's.
        { "weekly", "UTC", "2026-12-13T10:00Z 2026-12-14T10:00Z 2026-12-15T10:00Z", "1 1 =" },
        // Weekly in New York: Monday 01:00Z is still Sunday evening locally, the week before.
        { "weekly", "America/New_York", "2026-12-13T10:00Z 2026-12-14T01:00Z", "1 =" },
    };

    [Theory]
    [MemberData(nameof(Resets))]
    public void Reset_RestartsProgressAndCompletionsEachPeriod(string? reset, string zone, string events, string expected)
    {
        var quest = Quest(1, 1) with { Reset = QuestSchedule.TryParse(reset, out _)! };

        Assert.Equal(expected, Run(quest, zone, events));
    }

    [Fact]
    public void Window_EventsOutsideDoNotCount()
    {
        var quest = Quest(2, 1) with { StartsAt = At("2026-12-10T00:00:00Z"), EndsAt = At("2026-12-12T00:00:00Z") };

        // Before, at the start (counts), inside (completes), at the end (does not).
        Assert.Equal("w + 1 w", Run(quest, "UTC", "2026-12-09T23:59Z 2026-12-10T00:00Z 2026-12-11T10:00Z 2026-12-12T00:00Z"));
    }

    [Fact]
    public void GraceWindow_EventsOlderThanSevenDaysAreTooLate()
    {
        var quest = Quest(1, 5);
        _clock.SetUtcNow(Now);

        // The clock is at 2026-12-20T12:00Z: seven days back is the 13th at 12:00.
        Assert.Equal("l 1 2", Run(quest, "UTC", "2026-12-13T11:59Z 2026-12-13T12:00Z 2026-12-20T12:00Z"));
    }

    [Fact]
    public void Sum_AddsValuesAndCompletesAtTheTarget()
    {
        var quest = Quest(100, 2) with { ValueMode = ValueMode.Sum };
        _clock.SetUtcNow(Now);
        var player = new PlayerProgress(Guid.NewGuid(), DateTimeZone.Utc);

        var outcomes = new[] { 40L, 50, 10, 250, 5 }.Select((value, i) =>
            Describe(Engine.Apply(quest, Event(At("2026-12-19T10:00:00Z").AddMinutes(i), value: value), player, _clock.GetUtcNow())));

        Assert.Equal("+ + 1 2 =", string.Join(' ', outcomes));
    }

    [Fact]
    public void Chain_TheSecondQuestCountsFromTheEventAfterTheFirstIsCompleted()
    {
        var first = Quest(2, 1);
        var second = Quest(1, 1) with { QuestId = Guid.NewGuid(), PreconditionIds = [first.QuestId] };
        _clock.SetUtcNow(Now);
        var player = new PlayerProgress(Guid.NewGuid(), DateTimeZone.Utc);
        var outcomes = new List<string>();

        for (var i = 0; i < 3; i++)
        {
            var e = Event(At("2026-12-19T10:00:00Z").AddMinutes(i));
            outcomes.Add(string.Join('/', Engine.Apply([first, second], e, player, _clock.GetUtcNow()).Select(o => Describe(o.Outcome))));
        }

        Assert.Equal("+/p 1/p =/1", string.Join(' ', outcomes));
    }

    [Fact]
    public void Uses_SignInMatchesBothKindsOfSignIn_OtherTypesOnlyThemselves()
    {
        var signIn = Quest(1, 1);
        var matches = Quest(1, 1) with { EventType = "match_won" };

        Assert.True(QuestEngine.Uses(signIn, Event(_clock.GetUtcNow(), EventNames.UserSignIn)));
        Assert.True(QuestEngine.Uses(signIn, Event(_clock.GetUtcNow(), EventNames.NewUserSignIn)));
        Assert.False(QuestEngine.Uses(signIn, Event(_clock.GetUtcNow(), "match_won")));
        Assert.True(QuestEngine.Uses(matches, Event(_clock.GetUtcNow(), "match_won")));
        Assert.False(QuestEngine.Uses(matches, Event(_clock.GetUtcNow(), EventNames.UserSignIn)));
    }

    [Fact]
    public void StreakOn_ShowsTheRunUntilMissedDaysExceedTheFreezes()
    {
        var quest = Quest(10, 1) with { Kind = QuestKind.DailyStreak, Freezes = 1 };
        _clock.SetUtcNow(Now);
        var player = new PlayerProgress(Guid.NewGuid(), DateTimeZone.Utc);
        foreach (var day in new[] { "2026-12-17T10:00Z", "2026-12-18T10:00Z" })
        {
            Engine.Apply(quest, Event(At(day)), player, _clock.GetUtcNow());
        }

        var row = player.Rows.Single();
        var day18 = QuestEngine.DayNumber(At("2026-12-18T10:00:00Z"), DateTimeZone.Utc);
        Assert.Equal((2, 1), row.StreakOn(quest, day18));      // the day of the last event
        Assert.Equal((2, 1), row.StreakOn(quest, day18 + 1));  // the next day: nothing missed yet
        Assert.Equal((2, 0), row.StreakOn(quest, day18 + 2));  // one missed day: the freeze covers it
        Assert.Equal((0, 1), row.StreakOn(quest, day18 + 3));  // two missed: broken
    }

    [Fact]
    public void CountDay_DropsDaysBeforeAGapThatCanNoLongerBeFilled()
    {
        var quest = Quest(30, 1) with { Kind = QuestKind.DailyStreak };
        var row = QuestProgress.Start(Guid.NewGuid(), quest.QuestId, QuestPeriod.Forever.Start, _clock.GetUtcNow());

        row.CountDay(quest, 100, earliestCountable: 0, _clock.GetUtcNow());
        row.CountDay(quest, 101, earliestCountable: 0, _clock.GetUtcNow());
        row.CountDay(quest, 110, earliestCountable: 105, _clock.GetUtcNow()); // 102..109 include days still countable: kept
        Assert.Equal([100, 101, 110], row.Days);
        row.CountDay(quest, 111, earliestCountable: 110, _clock.GetUtcNow()); // 102..109 are past the grace window now
        Assert.Equal([110, 111], row.Days);
        Assert.Equal(2, row.Progress);
    }

    // The clock stands an hour after the latest event, unless the test has set it to Now.
    private string Run(QuestRule quest, string zone, string events)
    {
        if (_clock.GetUtcNow() != Now)
        {
            _clock.SetUtcNow(events.Split(' ').Select(At).Max().AddHours(1));
        }

        var player = new PlayerProgress(Guid.NewGuid(), DateTimeZoneProviders.Tzdb[zone]);
        return string.Join(' ', events.Split(' ').Select(at => Describe(Engine.Apply(quest, Event(At(at)), player, _clock.GetUtcNow()))));
    }

    private static QuestRule Quest(int target, int duplication) =>
        new(Guid.Parse("0199a8f0-0000-7000-8000-000000000001"), "quest", target, duplication);

    private static QuestEvent Event(DateTimeOffset at, string type = EventNames.UserSignIn, long value = 1) => new(Guid.NewGuid(), type, at, value);

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static string Describe(QuestOutcome outcome) => outcome.Reason switch
    {
        CountReason.Counted when outcome.Completions > 0 => outcome.Completion.ToString(CultureInfo.InvariantCulture),
        CountReason.Counted => "+",
        CountReason.LimitReached => "=",
        CountReason.DayAlreadyCounted => "d",
        CountReason.OutsideWindow => "w",
        CountReason.PreconditionNotMet => "p",
        CountReason.TooLate => "l",
        _ => "?",
    };
}
