namespace QuestAspire.Catalog.Api.IntegrationEvents.Events;

/// <summary>The data of <c>QuestChanged</c>: <c>{ catalog_version, quest }</c>, the quest's whole snapshot.</summary>
public sealed record QuestChangedData(long CatalogVersion, QuestResponse Quest);

/// <summary>The data of <c>RewardChanged</c>: <c>{ catalog_version, reward }</c>, the reward's whole snapshot.</summary>
public sealed record RewardChangedData(long CatalogVersion, RewardResponse Reward);
