namespace QuestAspire.ServiceDefaults.Messaging;

/// <summary>Every exchange, queue and event type name on the wire, in one place.</summary>
public static class MessagingNames
{
    /// <summary>Integration events are published here, routed by event type.</summary>
    public const string EventsExchange = "questaspire.events";

    /// <summary>What cannot be processed goes here, routed by the name of the queue it came from.</summary>
    public const string DeadLetterExchange = "questaspire.dead-letter";

    public const string ProcessingEventsQueue = "processing-events";
    public const string AuthEventsQueue = "auth-events";

    /// <summary>Catalog events, one queue per replica (<c>{name}.{instance}</c>) so each keeps its own full copy.</summary>
    public const string ProcessingCatalogQueue = "processing-catalog";
    public const string AuthCatalogQueue = "auth-catalog";

    /// <summary>Header on a message parked in a delay queue: how often it was retried later.</summary>
    public const string RetriesHeader = "x-questaspire-retries";

    public const string NewUserSignIn = "NewUserSignIn";
    public const string UserSignIn = "UserSignIn";
    public const string QuestCompleted = "QuestCompleted";

    /// <summary>Catalog.Api published a quest's whole definition (with its reward) at a new catalog version.</summary>
    public const string QuestChanged = "QuestChanged";

    /// <summary>Catalog.Api published a reward's whole definition at a new catalog version.</summary>
    public const string RewardChanged = "RewardChanged";

    /// <summary>An app reported one of its player's events (<c>POST {worker}/api/events</c>): data <c>{ event_type, value }</c>; the event id is the app's own.</summary>
    public const string AppEvent = "AppEvent";

    /// <summary>A player set their time zone in Auth: data <c>{ time_zone }</c> (an IANA id); the newest <c>occurred_at</c> wins.</summary>
    public const string TimeZoneChanged = "TimeZoneChanged";

    /// <summary>The worker committed events of these players: data <c>{ user_ids: [...] }</c>. The Web pushes fresh progress to their open pages.</summary>
    public const string ProgressChanged = "ProgressChanged";

    /// <summary>The Web's queue of <see cref="ProgressChanged"/>, one per replica (<c>{name}.{instance}</c>).</summary>
    public const string WebProgressQueue = "web-progress";

    /// <summary>Auth changed a user's security stamp (ban, unban, password change): tokens with the old one are refused.</summary>
    public const string SecurityStampChanged = "SecurityStampChanged";

    /// <summary>
    /// A stream (kept for a day) of every <see cref="SecurityStampChanged"/>: each replica of each
    /// service reads it from a token lifetime back at start, so no revocation is missed.
    /// </summary>
    public const string SecurityStampsStream = "security-stamps";

    /// <summary>Header set on a dead-lettered message: why it could not be processed.</summary>
    public const string DeadLetterReasonHeader = "x-questaspire-reason";

    public static string DeadLetterQueueOf(string queue) => $"{queue}.dead-letter";
}
