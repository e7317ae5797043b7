namespace QuestAspire.Catalog.Api.Contracts;

/// <summary>A reward on the wire: <c>{ reward_id, name, item, qty, is_active, version }</c>.</summary>
public sealed record RewardResponse(Guid RewardId, string Name, RewardItem Item, int Qty, bool IsActive, long Version)
{
    public static RewardResponse From(Reward reward) =>
        new(reward.Id, reward.Name, reward.Item, reward.Qty, reward.IsActive, reward.Version);
}

/// <summary>
/// The body of POST and PUT <c>/api/rewards</c>. Every member is nullable so that a missing
/// field is reported as a field error rather than silently defaulted; <see cref="Item"/> is a
/// string so that an unknown item is a field error too. <see cref="IsActive"/> is optional:
/// left out, a new reward is active and an updated one keeps its state.
/// </summary>
public sealed record RewardRequest(string? Name, string? Item, int? Qty, bool? IsActive = null) : ICatalogRequest;

/// <summary>The answer of <c>POST /api/admin/read-model/rebuild</c>.</summary>
public sealed record RebuildResponse(int Quests, int Rewards, long CatalogVersion, bool Unchanged);
