namespace QuestAspire.Auth.Api.IntegrationEvents.Events;

/// <summary>
/// The data of a <c>QuestCompleted</c> event, as Processing.Worker publishes it: the quest and what
/// it paid at completion. Events published before the reward travelled with them lack the reward
/// fields; for those Auth's own catalog copy answers.
/// </summary>
public sealed record QuestCompletedData(
    Guid QuestId, string? QuestName, int Completion, string? RewardItem, int? RewardQty, bool? AutoClaim, long? CatalogVersion);
