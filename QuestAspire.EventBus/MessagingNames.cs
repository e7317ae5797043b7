namespace QuestAspire.EventBus;

/// <summary>
/// The names every service shares on the wire: the exchanges, the headers the bus sets, and the
/// token-revocation stream this library reads. Each service declares its own queues and the event
/// types it publishes or consumes (its <c>IntegrationEvents/EventNames.cs</c>).
/// </summary>
public static class MessagingNames
{
    /// <summary>Integration events are published here, routed by event type.</summary>
    public const string EventsExchange = "questaspire.events";

    /// <summary>What cannot be processed goes here, routed by the name of the queue it came from.</summary>
    public const string DeadLetterExchange = "questaspire.dead-letter";

    /// <summary>Header on a message parked in a delay queue: how often it was retried later.</summary>
    public const string RetriesHeader = "x-questaspire-retries";

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
