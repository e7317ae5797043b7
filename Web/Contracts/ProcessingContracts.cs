using System.Text.Json;

namespace QuestAspire.Web.Contracts;

// The shapes Processing.Worker's read API answers with.

/// <summary>
/// A user's progress on one quest in its current period (in the player's time zone); name,
/// streak and duplication are null for a quest the catalog no longer knows. For a daily streak,
/// <see cref="Progress"/> is the days so far. A sum quest's progress may pass 2^31.
/// </summary>
public sealed record QuestProgress(
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

    /// <summary>null, <c>daily</c>, <c>weekly</c> or a cron expression.</summary>
    public string? Reset { get; init; }

    /// <summary>When the current period ends (the next reset); null for a quest without one.</summary>
    public DateTimeOffset? PeriodEndsAt { get; init; }

    public DateTimeOffset? StartsAt { get; init; }

    public DateTimeOffset? EndsAt { get; init; }

    public int? StreakDays { get; init; }

    public int? Freezes { get; init; }

    public int? FreezesLeft { get; init; }

    /// <summary>A precondition is unmet: events do not count yet.</summary>
    public bool Locked { get; init; }

    public IReadOnlyList<QuestReference> LockedBy { get; init; } = [];

    public string TimeZone { get; init; } = "UTC";
}

/// <summary>A quest named by another; the name is null for one the catalog no longer knows.</summary>
public sealed record QuestReference(Guid QuestId, string? QuestName);

public sealed record ActivityEvent(
    Guid EventId,
    string EventType,
    Guid UserId,
    DateTimeOffset OccurredAt,
    DateTimeOffset RecordedAt,
    JsonElement Data);

public sealed record EventPage(IReadOnlyList<ActivityEvent> Items, int Page, int PageSize, int Total)
{
    public int PageCount => Total == 0 ? 1 : (Total + PageSize - 1) / PageSize;
}

public static class EventTypes
{
    public const string NewUserSignIn = "NewUserSignIn";
    public const string UserSignIn = "UserSignIn";
    public const string QuestCompleted = "QuestCompleted";
}
