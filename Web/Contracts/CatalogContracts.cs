namespace QuestAspire.Web.Contracts;

// The shapes Catalog.Api answers with and takes.

public sealed record Reward(Guid RewardId, string Name, string Item, int Qty, bool IsActive);

public sealed record Quest(
    Guid QuestId,
    string Name,
    string Description,
    int Streak,
    int Duplication,
    bool AutoClaim,
    bool IsActive,
    Reward Reward)
{
    // The quest-kind fields; their defaults are the seed quest's kind (as the API's).
    public string EventType { get; init; } = QuestKinds.SignIn;

    public string Kind { get; init; } = QuestKinds.Count;

    public int Freezes { get; init; }

    public string? Reset { get; init; }

    public DateTimeOffset? StartsAt { get; init; }

    public DateTimeOffset? EndsAt { get; init; }

    public IReadOnlyList<Guid> PreconditionIds { get; init; } = [];

    public string ValueMode { get; init; } = QuestKinds.CountMode;
}

/// <summary>
/// The body of POST and PUT <c>/api/quests</c>; empty fields go as null so the API names them
/// (or, for the quest-kind fields, gives them their defaults).
/// </summary>
public sealed record QuestRequest(string? Name, string? Description, int? Streak, int? Duplication, bool? AutoClaim, Guid? RewardId)
{
    public string? EventType { get; init; }

    public string? Kind { get; init; }

    public int? Freezes { get; init; }

    public string? Reset { get; init; }

    public DateTimeOffset? StartsAt { get; init; }

    public DateTimeOffset? EndsAt { get; init; }

    public IReadOnlyList<Guid>? PreconditionIds { get; init; }

    public string? ValueMode { get; init; }
}

/// <summary>The values of the quest-kind fields the Web shows or offers.</summary>
public static class QuestKinds
{
    public const string SignIn = "sign_in";
    public const string Count = "count";
    public const string DailyStreak = "daily_streak";
    public const string CountMode = "count";
    public const string SumMode = "sum";
    public const string Daily = "daily";
    public const string Weekly = "weekly";
}

/// <summary>The body of POST and PUT <c>/api/rewards</c>.</summary>
public sealed record RewardRequest(string? Name, string? Item, int? Qty);

public static class RewardItems
{
    public const string Gold = "gold";
    public const string Diamond = "diamond";

    public static readonly IReadOnlyList<string> All = [Gold, Diamond];
}
