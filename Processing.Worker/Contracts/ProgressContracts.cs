using System.Text.Json;

namespace QuestAspire.Processing.Worker.Contracts;

/// <summary>
/// A user's progress on one quest: <c>{ quest_id, quest_name, progress, streak, completions,
/// duplication, updated_at }</c>. The quest's name, streak and duplication come from the catalog
/// and are null for a quest it no longer knows; <c>updated_at</c> is null before the first sign-in.
/// </summary>
public sealed record QuestProgressResponse(
    Guid QuestId,
    string? QuestName,
    int Progress,
    int? Streak,
    int Completions,
    int? Duplication,
    DateTimeOffset? UpdatedAt);

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
