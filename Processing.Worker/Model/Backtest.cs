using System.Text.Json;
using QuestAspire.Processing.Worker.IntegrationEvents.Events;
using QuestAspire.ServiceDefaults.Api;
using QuestAspire.Quests;

namespace QuestAspire.Processing.Worker.Model;

/// <summary>What a draft quest would have done: completions in all, per player and per UTC day of the completing event, and what they pay.</summary>
public sealed record BacktestResult(long EventsScanned, int Players, int Completions, long Gold, long Diamond, IReadOnlyList<(DateOnly Day, int Completions)> ByDay);

/// <summary>
/// A draft quest run over the real event log through the same rules as live processing
/// (<see cref="QuestEngine"/>), from zero progress: every event of its type that happened in
/// [from, to), each judged in the order the worker processed it with its processing time as
/// "now" (so what was too late live is too late here). The players' zones follow their logged
/// zone changes, and a precondition is met from the logged <c>QuestCompleted</c> of the quest it
/// names on, whenever that was. Pure and side-effect free: the caller streams the log in.
/// </summary>
public sealed class Backtest(QuestEngine engine, QuestRule draft, DateTimeOffset from, DateTimeOffset to)
{
    private readonly HashSet<Guid> _completers = [];
    private readonly SortedDictionary<DateOnly, int> _byDay = [];
    private long _scanned;
    private int _completions;

    public QuestRule Draft { get; } = draft;

    /// <summary>The event types the log must give: the draft's own, zone changes, and completions of its preconditions.</summary>
    public IReadOnlyList<string> EventTypes { get; } = draft.EventType == QuestRule.SignInType
        ? [EventNames.UserSignIn, EventNames.NewUserSignIn]
        : [draft.EventType];

    /// <summary>Takes one player's whole stream of events, in processing order (see <see cref="LogReplay.InProcessingOrder"/>).</summary>
    public void Add(IReadOnlyList<LoggedEvent> ordered)
    {
        if (ordered.Count == 0)
        {
            return;
        }

        var player = new PlayerProgress(ordered[0].UserId, QuestSchedule.ZoneOf(null));
        LogReplay.Replay(engine, [Draft], Feed(ordered, player), _ => player, (logged, _, outcome) =>
        {
            _scanned++;
            if (outcome.Completions > 0)
            {
                _completions += outcome.Completions;
                _completers.Add(logged.UserId);
                var day = DateOnly.FromDateTime(logged.OccurredAt.UtcDateTime);
                _byDay[day] = _byDay.GetValueOrDefault(day) + outcome.Completions;
            }
        });
    }

    // Lazily, so each precondition's completion is taken exactly where it stands in the stream.
    private IEnumerable<LoggedEvent> Feed(IEnumerable<LoggedEvent> ordered, PlayerProgress player)
    {
        foreach (var logged in ordered)
        {
            if (logged.EventType == EventNames.QuestCompleted)
            {
                if (JsonSerializer.Deserialize<QuestCompletedData>(logged.Data, ApiDefaults.JsonOptions) is { } completed
                    && Draft.PreconditionIds.Contains(completed.QuestId))
                {
                    player.AddCompletions(completed.QuestId, 1);
                }
            }
            else if (logged.EventType == EventNames.TimeZoneChanged || (logged.OccurredAt >= from && logged.OccurredAt < to))
            {
                yield return logged;
            }
        }
    }

    public BacktestResult Result()
    {
        var paid = (long)_completions * Draft.RewardQty;
        return new(_scanned, _completers.Count, _completions,
            Draft.RewardItem == QuestFields.Gold ? paid : 0,
            Draft.RewardItem == QuestFields.Diamond ? paid : 0,
            [.. _byDay.Select(d => (d.Key, d.Value))]);
    }
}
