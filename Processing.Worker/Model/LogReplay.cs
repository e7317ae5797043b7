using System.Text.Json;
using QuestAspire.Quests;

namespace QuestAspire.Processing.Worker.Model;

/// <summary>
/// The event log replayed through the same rules as live processing, from zero progress: events
/// in the order the worker processed them (by <c>recorded_at</c>; a batch's zone changes first, as
/// the handler applies them), each judged with the time it was processed as "now", so an event
/// that was too late then is too late again. Zone changes in the log move the player's zone;
/// the worker's own <c>QuestCompleted</c> events count toward nothing. Pure: the caller reads the log.
/// </summary>
public static class LogReplay
{
    /// <summary>The log in processing order.</summary>
    public static IEnumerable<LoggedEvent> InProcessingOrder(IEnumerable<LoggedEvent> log) =>
        log.OrderBy(e => e.RecordedAt)
            .ThenBy(e => e.EventType == EventNames.TimeZoneChanged ? 0 : 1)
            .ThenBy(e => e.OccurredAt)
            .ThenBy(e => e.EventId);

    /// <summary>Replays <paramref name="ordered"/> with the same quests for every event.</summary>
    public static void Replay(
        QuestEngine engine,
        IReadOnlyList<QuestRule> quests,
        IEnumerable<LoggedEvent> ordered,
        Func<Guid, PlayerProgress> playerOf,
        Action<LoggedEvent, QuestRule, QuestOutcome> observe) =>
        Replay(engine, _ => quests, ordered, playerOf, observe);

    /// <summary>
    /// Replays <paramref name="ordered"/> (see <see cref="InProcessingOrder"/>), each event with the
    /// active quests <paramref name="questsOf"/> gives for it, and tells <paramref name="observe"/>
    /// what each event did to each quest that uses it.
    /// </summary>
    public static void Replay(
        QuestEngine engine,
        Func<LoggedEvent, IReadOnlyList<QuestRule>> questsOf,
        IEnumerable<LoggedEvent> ordered,
        Func<Guid, PlayerProgress> playerOf,
        Action<LoggedEvent, QuestRule, QuestOutcome> observe)
    {
        var zoneChangedAt = new Dictionary<Guid, DateTimeOffset>();
        foreach (var logged in ordered)
        {
            var player = playerOf(logged.UserId);
            if (logged.EventType == EventNames.TimeZoneChanged)
            {
                // As the worker keeps zones (PlayerZone): the change that happened last wins, whatever order they arrived in.
                if (!zoneChangedAt.TryGetValue(logged.UserId, out var changedAt) || logged.OccurredAt > changedAt)
                {
                    zoneChangedAt[logged.UserId] = logged.OccurredAt;
                    player.Zone = QuestSchedule.ZoneOf(JsonSerializer.Deserialize<TimeZoneChangedData>(logged.Data, ServiceDefaults.Api.ApiDefaults.JsonOptions)?.TimeZone);
                }

                continue;
            }

            if (ToQuestEvent(logged) is not { } e)
            {
                continue;
            }

            foreach (var (quest, outcome) in engine.Apply(questsOf(logged), e, player, logged.RecordedAt))
            {
                observe(logged, quest, outcome);
            }
        }
    }

    /// <summary>A logged event as the rules see it: sign-ins count 1, an app event its logged <c>value</c>; null for the worker's own events.</summary>
    public static QuestEvent? ToQuestEvent(LoggedEvent logged) => logged.EventType switch
    {
        EventNames.QuestCompleted or EventNames.TimeZoneChanged => null,
        EventNames.UserSignIn or EventNames.NewUserSignIn => new QuestEvent(logged.EventId, logged.EventType, logged.OccurredAt, 1),
        _ => new QuestEvent(logged.EventId, logged.EventType, logged.OccurredAt, ValueOf(logged.Data)),
    };

    /// <summary>The explain API's reason for an event the quest was not counted with: it was not active when the event was processed.</summary>
    public const string NotActive = "quest not active";

    /// <summary>The words the explain API uses for a reason.</summary>
    public static string Describe(CountReason reason) => reason switch
    {
        CountReason.Counted => "counted",
        CountReason.LimitReached => "limit reached",
        CountReason.OutsideWindow => "outside window",
        CountReason.PreconditionNotMet => "precondition not met",
        CountReason.TooLate => "too late",
        CountReason.DayAlreadyCounted => "day already counted",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    private static long ValueOf(string data)
    {
        using var document = JsonDocument.Parse(data);
        return document.RootElement.ValueKind == JsonValueKind.Object
            && document.RootElement.TryGetProperty("value", out var value)
            && value.TryGetInt64(out var number) ? number : 1;
    }
}
