using System.Text.Json;
using RabbitMQ.Client;

namespace QuestAspire.Testing;

/// <summary>A message for the events exchange; the routing key is the event type.</summary>
public sealed record WireMessage(string RoutingKey, byte[] Body, string? TraceParent = null);

/// <summary>
/// The events exchange as the services use it, for tests that publish to it directly: the wire
/// names (MessagingNames in QuestAspire.EventBus and the worker's EventNames, which the tests do
/// not reference) are the contract, so they are spelled out here.
/// </summary>
public static class EventWire
{
    public const string EventsExchange = "questaspire.events";
    public const string ProcessingEventsQueue = "processing-events";
    public const string DeadLetterReasonHeader = "x-questaspire-reason";
    public const string NewUserSignIn = "NewUserSignIn";
    public const string UserSignIn = "UserSignIn";
    public const string QuestCompleted = "QuestCompleted";

    public static string DeadLetterQueueOf(string queue) => $"{queue}.dead-letter";

    /// <summary>The envelope every service publishes: <c>{ event_id, event_type, user_id, occurred_at, data }</c>.</summary>
    public static WireMessage SignIn(Guid user, Guid eventId, string eventType, DateTimeOffset occurredAt) =>
        new(eventType, JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["event_id"] = eventId,
            ["event_type"] = eventType,
            ["user_id"] = user,
            ["occurred_at"] = occurredAt,
            ["data"] = new Dictionary<string, object>(),
        }));

    /// <summary><paramref name="count"/> sign-ins a second apart from <paramref name="start"/>, as Auth publishes them: the first ever is NewUserSignIn, later ones UserSignIn.</summary>
    public static WireMessage[] SignIns(Guid user, int count, DateTimeOffset start) =>
    [
        SignIn(user, Guid.NewGuid(), NewUserSignIn, start),
        .. Enumerable.Range(1, count - 1).Select(i => SignIn(user, Guid.NewGuid(), UserSignIn, start.AddSeconds(i))),
    ];

    /// <summary>Publishes in order, each confirmed by the broker and routed to a queue (mandatory), with its trace context when it has one.</summary>
    public static async Task PublishAsync(IConnection rabbit, IEnumerable<WireMessage> messages, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await using var channel = await rabbit.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
        foreach (var message in messages)
        {
            var properties = new BasicProperties
            {
                ContentType = "application/json",
                DeliveryMode = DeliveryModes.Persistent,
                // As a traced publisher's client writes it (W3C trace context in the headers).
                Headers = message.TraceParent is null ? null : new Dictionary<string, object?> { ["traceparent"] = message.TraceParent },
            };
            await channel.BasicPublishAsync(EventsExchange, message.RoutingKey, mandatory: true, properties, message.Body, cancellationToken)
                .AsTask().WaitAsync(timeout, cancellationToken);
        }
    }

    /// <summary>Whether <paramref name="queue"/> is declared (its consumer's service has started once).</summary>
    public static async Task<bool> QueueExistsAsync(IConnection rabbit, string queue, CancellationToken cancellationToken)
    {
        await using var channel = await rabbit.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
            return true;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return false;
        }
    }
}
