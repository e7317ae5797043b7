namespace QuestAspire.Processing.Worker.IntegrationEvents.Events;

/// <summary>
/// The <c>data</c> of a <c>QuestCompleted</c> event, which the worker publishes:
/// <c>{ "quest_id", "quest_name", "completion", "reward_item", "reward_qty", "auto_claim", "catalog_version" }</c>,
/// where completion counts from 1 and the reward is what the quest paid at completion (at that catalog version).
/// </summary>
public sealed record QuestCompletedData(
    Guid QuestId, string QuestName, int Completion, string RewardItem, int RewardQty, bool AutoClaim, long CatalogVersion);
