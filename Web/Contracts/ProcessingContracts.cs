using System.Text.Json;

namespace QuestAspire.Web.Contracts;

// The shapes Processing.Worker's read API answers with.

/// <summary>A user's progress on one quest; name, streak and duplication are null for a quest the catalog no longer knows.</summary>
public sealed record QuestProgress(
    Guid QuestId,
    string? QuestName,
    int Progress,
    int? Streak,
    int Completions,
    int? Duplication,
    DateTimeOffset? UpdatedAt);

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
