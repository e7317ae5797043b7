namespace QuestAspire.Processing.Worker.Model;

/// <summary>One event in the event log: every event the worker receives or emits, stored once.</summary>
public sealed class LoggedEvent
{
    public Guid EventId { get; private set; }

    public string EventType { get; private set; } = "";

    public Guid UserId { get; private set; }

    public DateTimeOffset OccurredAt { get; private set; }

    public DateTimeOffset RecordedAt { get; private set; }

    /// <summary>The event's <c>data</c> object, as JSON.</summary>
    public string Data { get; private set; } = "{}";

    /// <summary>
    /// The worker's catalog version when it processed the event: the quest definitions it was
    /// counted with are the <see cref="QuestVersion"/>s up to it. 0 for events logged before the
    /// worker kept them (replays judge those by the current catalog).
    /// </summary>
    public long CatalogVersion { get; private set; }

    public static LoggedEvent Record(IntegrationEvent integrationEvent, DateTimeOffset recordedAt, long catalogVersion = 0) => new()
    {
        CatalogVersion = catalogVersion,
        EventId = integrationEvent.EventId,
        EventType = integrationEvent.EventType,
        UserId = integrationEvent.UserId,
        // timestamptz holds UTC: Npgsql refuses other offsets, which a publisher may send.
        OccurredAt = integrationEvent.OccurredAt.ToUniversalTime(),
        RecordedAt = recordedAt.ToUniversalTime(),
        Data = integrationEvent.Data.GetRawText(),
    };

    /// <summary>An event as read back from the log.</summary>
    public static LoggedEvent Restore(Guid eventId, string eventType, Guid userId, DateTimeOffset occurredAt, DateTimeOffset recordedAt, string data, long catalogVersion) => new()
    {
        EventId = eventId,
        EventType = eventType,
        UserId = userId,
        OccurredAt = occurredAt,
        RecordedAt = recordedAt,
        Data = data,
        CatalogVersion = catalogVersion,
    };
}
