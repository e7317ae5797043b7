namespace QuestAspire.Processing.Worker.IntegrationEvents;

/// <summary>The event types the worker consumes and publishes, and its queues (the wire contract: never renamed).</summary>
public static class EventNames
{
    public const string NewUserSignIn = "NewUserSignIn";
    public const string UserSignIn = "UserSignIn";

    /// <summary>An app reported one of its player's events (<c>POST {worker}/api/events</c>): data <c>{ event_type, value }</c>; the event id is the app's own.</summary>
    public const string AppEvent = "AppEvent";

    /// <summary>A player set their time zone in Auth: data <c>{ time_zone }</c> (an IANA id); the newest <c>occurred_at</c> wins.</summary>
    public const string TimeZoneChanged = "TimeZoneChanged";

    public const string QuestCompleted = "QuestCompleted";

    /// <summary>
    /// The worker committed events of these players: data <c>{ user_ids: [...] }</c>. Published by the
    /// replica that committed them, consumed by every replica, whose progress streams tell the open pages.
    /// </summary>
    public const string ProgressChanged = "ProgressChanged";

    /// <summary>Catalog.Api published a quest's whole definition (with its reward) at a new catalog version.</summary>
    public const string QuestChanged = "QuestChanged";

    /// <summary>Catalog.Api published a reward's whole definition at a new catalog version.</summary>
    public const string RewardChanged = "RewardChanged";

    /// <summary>The players' events, shared by the worker's replicas.</summary>
    public const string ProcessingEventsQueue = "processing-events";

    /// <summary>Catalog events, one queue per replica (<c>{name}.{instance}</c>) so each keeps its own full copy.</summary>
    public const string ProcessingCatalogQueue = "processing-catalog";

    /// <summary><see cref="ProgressChanged"/> for the progress streams, one queue per replica (<c>{name}.{instance}</c>).</summary>
    public const string ProcessingProgressQueue = "processing-progress";
}
