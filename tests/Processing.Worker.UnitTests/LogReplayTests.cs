using System.Text.Json;
using QuestAspire.ServiceDefaults.Api;
using QuestAspire.EventBus;
using QuestAspire.Quests;

namespace QuestAspire.Processing.Worker.UnitTests;

/// <summary>The log replayed through the rules: what explain and a rebuild read.</summary>
public sealed class LogReplayTests
{
    private static readonly QuestEngine Engine = new(QuestEngine.DefaultGraceWindow);
    private static readonly Guid Player = Guid.CreateVersion7();
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-12-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void ReferenceScenario_NineSignIns_SixCountedThreeLimitReached()
    {
        var seed = new QuestRule(Guid.CreateVersion7(), "signin_three", 3, 2);
        var log = Enumerable.Range(0, 9)
            .Select(i => Logged(i == 0 ? EventNames.NewUserSignIn : EventNames.UserSignIn, Start.AddMinutes(i), Start.AddMinutes(i)))
            .Append(Logged(EventNames.QuestCompleted, Start.AddMinutes(3), Start.AddMinutes(3))) // the worker's own: counts toward nothing
            .ToList();

        var reasons = Explain(seed, [seed], log);

        Assert.Equal(["counted", "counted", "counted", "counted", "counted", "counted", "limit reached", "limit reached", "limit reached"], reasons);
    }

    [Fact]
    public void ZoneChangeInTheLog_MovesTheDays_ForTheEventsProcessedAfterIt()
    {
        var streak = new QuestRule(Guid.CreateVersion7(), "two-days", 2, 1) { EventType = "match_won", Kind = QuestKind.DailyStreak };
        var tokyo = Logged(EventNames.TimeZoneChanged, Start, Start, new TimeZoneChangedData("Asia/Tokyo"));
        // 16:00Z on the 1st and 14:00Z on the 2nd: one Tokyo day, two UTC days.
        var first = Logged("match_won", At("2026-12-01T16:00:00Z"), At("2026-12-02T15:00:00Z"), new { value = 1 });
        var second = Logged("match_won", At("2026-12-02T14:00:00Z"), At("2026-12-02T15:00:00Z"), new { value = 1 });

        Assert.Equal(["counted", "day already counted"], Explain(streak, [streak], [second, first, tokyo]));
        Assert.Equal(["counted", "counted"], Explain(streak, [streak], [second, first])); // in UTC
    }

    [Fact]
    public void EachEventIsJudgedAtTheTimeItWasProcessed_AndAppValuesAdd()
    {
        var points = new QuestRule(Guid.CreateVersion7(), "points", 10, 1) { EventType = "points", ValueMode = ValueMode.Sum };
        var late = Logged("points", Start, Start.AddDays(8), new { value = 9 }); // processed eight days after it happened
        var onTime = Logged("points", Start.AddDays(1), Start.AddDays(1), new { value = 4 });
        var more = Logged("points", Start.AddDays(2), Start.AddDays(2), new { value = 6 });

        Assert.Equal(["too late", "counted", "counted"], Explain(points, [points], [late, onTime, more]));
    }

    [Fact]
    public void APreconditionIsJudgedInProcessingOrder()
    {
        var first = new QuestRule(Guid.CreateVersion7(), "first", 1, 1) { EventType = "step" };
        var second = new QuestRule(Guid.CreateVersion7(), "second", 1, 1) { EventType = "step", PreconditionIds = [first.QuestId] };
        var log = Enumerable.Range(0, 2).Select(i => Logged("step", Start.AddMinutes(i), Start.AddMinutes(i), new { value = 1 })).ToList();

        Assert.Equal(["precondition not met", "counted"], Explain(second, [first, second], log));
    }

    private static List<string> Explain(QuestRule quest, IReadOnlyList<QuestRule> quests, IEnumerable<LoggedEvent> log)
    {
        var player = new PlayerProgress(Player, QuestSchedule.ZoneOf(null));
        var reasons = new List<(DateTimeOffset At, string Reason)>();
        LogReplay.Replay(Engine, quests, LogReplay.InProcessingOrder(log), _ => player, (e, q, outcome) =>
        {
            if (q == quest)
            {
                reasons.Add((e.OccurredAt, LogReplay.Describe(outcome.Reason)));
            }
        });
        return [.. reasons.OrderBy(r => r.At).Select(r => r.Reason)];
    }

    private static LoggedEvent Logged(string type, DateTimeOffset occurredAt, DateTimeOffset recordedAt, object? data = null) =>
        LoggedEvent.Record(new IntegrationEvent(Guid.CreateVersion7(), type, Player, occurredAt,
            data is null ? JsonSerializer.SerializeToElement(new { }) : JsonSerializer.SerializeToElement(data, ApiDefaults.JsonOptions)), recordedAt);

    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
