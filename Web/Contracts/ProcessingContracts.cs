using System.Text.Json;
using QuestAspire.Quests;

namespace QuestAspire.Web.Contracts;

// The shapes Processing.Worker's read API answers with.

/// <summary>
/// A user's progress on one quest in its current period (in the player's time zone); name,
/// streak, duplication and the settings are null for a quest the catalog no longer knows. The
/// settings are the worker's view of the quest (<see cref="QuestSettingsRequest"/>, as the
/// catalog's quest carries them; <c>freezes</c> only for a daily streak). For a daily streak,
/// <see cref="Progress"/> is the days so far. A sum quest's progress may pass 2^31.
/// </summary>
public sealed record QuestProgress(
    Guid QuestId,
    string? QuestName,
    long Progress,
    int? Streak,
    int Completions,
    int? Duplication,
    DateTimeOffset? UpdatedAt) : QuestSettingsRequest
{
    /// <summary>When the current period ends (the next reset); null for a quest without one.</summary>
    public DateTimeOffset? PeriodEndsAt { get; init; }

    public int? StreakDays { get; init; }

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

/// <summary>Why a quest shows what it shows: the events of its types, oldest first, each with what the rules made of it.</summary>
public sealed record QuestExplanation(IReadOnlyList<ExplainedEvent> Events);

/// <summary>One event and its outcome; <see cref="Reason"/> is the worker's word for it (<c>counted</c>, <c>limit reached</c>, …).</summary>
public sealed record ExplainedEvent(Guid EventId, string EventType, DateTimeOffset OccurredAt, bool Counted, string Reason);

/// <summary>The body of <c>POST /api/admin/backtest</c>: a draft quest run over the log from <see cref="From"/> to <see cref="To"/>.</summary>
public sealed record BacktestRequest(DraftQuest Quest, DateTimeOffset? From, DateTimeOffset? To);

/// <summary>
/// A quest that is not in the catalog: the catalog's quest fields with the reward itself in place
/// of a reward id, its settings those of <see cref="QuestSettingsRequest"/>. Empty fields go as
/// null so the worker names them (or gives them their defaults).
/// </summary>
public sealed record DraftQuest(string? Name, int? Streak, int? Duplication, DraftReward Reward) : QuestSettingsRequest;

public sealed record DraftReward(string? Item, int? Qty);

/// <summary>What the draft quest would have done over the range: no side effects on the worker.</summary>
public sealed record BacktestResult(long EventsScanned, int Players, int Completions, RewardTotals RewardTotals, IReadOnlyList<BacktestDay> ByDay);

public sealed record RewardTotals(long Gold, long Diamond);

/// <summary>Completions on one UTC day (<c>2026-12-01</c>).</summary>
public sealed record BacktestDay(DateOnly Day, int Completions);

/// <summary>The answer to <c>POST /api/admin/progress/rebuild</c> (202).</summary>
public sealed record RebuildStarted(Guid RebuildId);

/// <summary>A rebuild of progress from the log, as <c>GET /api/admin/progress/rebuild/{id}</c> reports it.</summary>
public sealed record RebuildStatus(
    Guid RebuildId,
    string Status,
    long EventsApplied,
    long EventsTotal,
    int Players,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    string? Error)
{
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";

    public bool IsRunning => Status == Running;
}
