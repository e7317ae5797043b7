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

    public static LoggedEvent Record(IntegrationEvent integrationEvent, DateTimeOffset recordedAt) => new()
    {
        EventId = integrationEvent.EventId,
        EventType = integrationEvent.EventType,
        UserId = integrationEvent.UserId,
        // timestamptz holds UTC: Npgsql refuses other offsets, which a publisher may send.
        OccurredAt = integrationEvent.OccurredAt.ToUniversalTime(),
        RecordedAt = recordedAt.ToUniversalTime(),
        Data = integrationEvent.Data.GetRawText(),
    };
}
