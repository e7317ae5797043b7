namespace QuestAspire.Catalog.Api.IntegrationEvents;

/// <summary>The event types Catalog publishes (the wire contract: never renamed).</summary>
public static class EventNames
{
    /// <summary>A quest's whole definition (with its reward) at a new catalog version.</summary>
    public const string QuestChanged = "QuestChanged";

    /// <summary>A reward's whole definition at a new catalog version.</summary>
    public const string RewardChanged = "RewardChanged";
}
