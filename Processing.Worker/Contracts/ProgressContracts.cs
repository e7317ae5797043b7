using System.Text.Json;
using QuestAspire.Quests;

namespace QuestAspire.Processing.Worker.Contracts;

/// <summary>
/// A player's progress on one quest in its current period (in the player's zone, <c>time_zone</c>):
/// <c>progress</c> toward <c>streak</c> (events, days or a sum), <c>completions</c> of at most
/// <c>duplication</c> in the period, and what the card shows: <c>period_ends_at</c> for a quest
/// that resets, <c>streak_days</c> and <c>freezes_left</c> for a daily streak, and <c>locked</c>
/// with the unmet preconditions in <c>locked_by</c>. The quest's settings are those of the catalog
/// (<see cref="QuestSettingsRequest"/>, flat in the JSON after the progress fields), all null for a
/// quest the catalog no longer knows, <c>freezes</c> null for a quest that is not a daily streak;
/// <c>updated_at</c> is null before the first counted event.
/// </summary>
public sealed record QuestProgressResponse(
    Guid QuestId,
    string? QuestName,
    long Progress,
    int? Streak,
    int Completions,
    int? Duplication,
    DateTimeOffset? UpdatedAt) : QuestSettingsRequest
{
    public DateTimeOffset? PeriodEndsAt { get; init; }

    public int? StreakDays { get; init; }

    public int? FreezesLeft { get; init; }

    public bool Locked { get; init; }

    public IReadOnlyList<QuestReference> LockedBy { get; init; } = [];

    public string TimeZone { get; init; } = "UTC";
}

/// <summary>A quest named by another: <c>{ quest_id, quest_name }</c> (the name is null for one the catalog no longer knows).</summary>
public sealed record QuestReference(Guid QuestId, string? QuestName);

/// <summary>An event of the log: <c>{ event_id, event_type, user_id, occurred_at, recorded_at, data }</c>.</summary>
public sealed record EventResponse(
    Guid EventId,
    string EventType,
    Guid UserId,
    DateTimeOffset OccurredAt,
    DateTimeOffset RecordedAt,
    JsonElement Data);

/// <summary>One page of a list: <c>{ items, page, page_size, total }</c>; pages count from 1.</summary>
public sealed record PagedResponse<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

/// <summary>Why a quest shows what it shows: <c>{ events: [...] }</c>, every logged event of a type the quest uses, oldest first.</summary>
public sealed record ExplainResponse(IReadOnlyList<ExplainedEvent> Events);

/// <summary>One event and what the rules made of it: <c>{ event_id, event_type, occurred_at, counted, reason }</c>.</summary>
public sealed record ExplainedEvent(Guid EventId, string EventType, DateTimeOffset OccurredAt, bool Counted, string Reason);

/// <summary>
/// <c>POST /api/admin/backtest</c>: a draft <c>quest</c> (the catalog's quest fields, with
/// <c>reward: { item, qty }</c> instead of <c>reward_id</c>) and the range of <c>occurred_at</c>
/// to run it over, <c>[from, to)</c>; <c>from</c> defaults to the log's beginning, <c>to</c> to now.
/// </summary>
public sealed record BacktestRequest(DraftQuest? Quest, DateTimeOffset? From, DateTimeOffset? To);

/// <summary>A draft quest as the admin editor has it; every field as the catalog would take it, its settings too (<see cref="QuestSettingsRequest"/>).</summary>
public sealed record DraftQuest(string? Name, int? Streak, int? Duplication, DraftReward? Reward) : QuestSettingsRequest;

/// <summary>What a draft quest pays: <c>{ item: "gold" | "diamond", qty }</c>.</summary>
public sealed record DraftReward(string? Item, int? Qty);

/// <summary>
/// What the draft would have done: <c>{ events_scanned, players, completions, reward_totals: { gold, diamond }, by_day: [ { day, completions } ] }</c>.
/// <c>events_scanned</c> counts the events of its type in the range; <c>players</c> those who would
/// have completed it at least once; <c>by_day</c> the UTC day of each completing event, days without completions left out.
/// </summary>
public sealed record BacktestResponse(long EventsScanned, int Players, int Completions, RewardTotals RewardTotals, IReadOnlyList<BacktestDay> ByDay)
{
    public long ElapsedMs { get; init; }
}

public sealed record RewardTotals(long Gold, long Diamond);

public sealed record BacktestDay(DateOnly Day, int Completions);

/// <summary>A rebuild started (or the one already running): <c>{ rebuild_id, status }</c>.</summary>
public sealed record RebuildStarted(Guid RebuildId, string Status);

/// <summary>
/// A rebuild of the progress projection: <c>{ rebuild_id, status: running | completed | failed,
/// events_applied, events_total, players, rows_changed, started_at, finished_at, error }</c>.
/// <c>rows_changed</c> is what the switch-over changed in the live progress: 0 when it already matched the log.
/// </summary>
public sealed record RebuildResponse(
    Guid RebuildId,
    string Status,
    long EventsApplied,
    long EventsTotal,
    int Players,
    int RowsChanged,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    string? Error);
