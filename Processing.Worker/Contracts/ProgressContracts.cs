using System.Text.Json;

namespace QuestAspire.Processing.Worker.Contracts;

/// <summary>
/// A player's progress on one quest in its current period (in the player's zone, <c>time_zone</c>):
/// <c>progress</c> toward <c>streak</c> (events, days or a sum), <c>completions</c> of at most
/// <c>duplication</c> in the period, and what the card shows: <c>period_ends_at</c> for a quest
/// that resets, <c>streak_days</c> and <c>freezes_left</c> for a daily streak, and <c>locked</c>
/// with the unmet preconditions in <c>locked_by</c>. The quest's fields are null for a quest the
/// catalog no longer knows; <c>updated_at</c> is null before the first counted event.
/// </summary>
public sealed record QuestProgressResponse(
    Guid QuestId,
    string? QuestName,
    long Progress,
    int? Streak,
    int Completions,
    int? Duplication,
    DateTimeOffset? UpdatedAt)
{
    public string? EventType { get; init; }

    public string? Kind { get; init; }

    public string? ValueMode { get; init; }

    public string? Reset { get; init; }

    public DateTimeOffset? PeriodEndsAt { get; init; }

    public DateTimeOffset? StartsAt { get; init; }

    public DateTimeOffset? EndsAt { get; init; }

    public int? StreakDays { get; init; }

    public int? Freezes { get; init; }

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
