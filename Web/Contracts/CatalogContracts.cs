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
    Reward Reward);

/// <summary>The body of POST and PUT <c>/api/quests</c>; empty fields go as null so the API names them.</summary>
public sealed record QuestRequest(string? Name, string? Description, int? Streak, int? Duplication, bool? AutoClaim, Guid? RewardId);

/// <summary>The body of POST and PUT <c>/api/rewards</c>.</summary>
public sealed record RewardRequest(string? Name, string? Item, int? Qty);

public static class RewardItems
{
    public const string Gold = "gold";
    public const string Diamond = "diamond";

    public static readonly IReadOnlyList<string> All = [Gold, Diamond];
}
