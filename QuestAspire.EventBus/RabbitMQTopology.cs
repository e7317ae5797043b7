using RabbitMQ.Client;

namespace QuestAspire.EventBus;

/// <summary>
/// Declares exchanges and queues (declaring is idempotent). Publishers declare only the
/// exchanges; each consumer declares its own queue, its dead-letter queue and its delay queues,
/// bound to the event types it subscribes to. Until a queue is bound, a mandatory publish of an
/// event no one subscribes to is returned and the outbox tries again: nothing is dropped.
/// </summary>
public static class RabbitMQTopology
{
    /// <summary>A message whose handler keeps failing for an unknown reason is dead-lettered by the broker after this many deliveries.</summary>
    public const int DeliveryLimit = 10;

    /// <summary>The delay queue of <paramref name="queue"/> for a retry level (see <see cref="DeliveryPolicy.RetryDelays"/>): <c>{queue}.retry-{seconds}s</c>.</summary>
    public static string RetryQueueOf(string queue, int level) =>
        $"{queue}.retry-{(int)DeliveryPolicy.RetryDelays[level].TotalSeconds}s";

    public static async Task DeclareExchangesAsync(IChannel channel, CancellationToken cancellationToken)
    {
        await channel.ExchangeDeclareAsync(MessagingNames.EventsExchange, ExchangeType.Direct, durable: true, cancellationToken: cancellationToken);
        await channel.ExchangeDeclareAsync(MessagingNames.DeadLetterExchange, ExchangeType.Direct, durable: true, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// A durable quorum queue bound to <paramref name="eventTypes"/>, with its dead-letter queue
    /// and one delay queue per retry level. A delay queue holds a message for its TTL, then the
    /// broker dead-letters it back to the queue (default exchange, at-least-once), as a fresh
    /// delivery whose count starts from zero.
    /// </summary>
    public static async Task DeclareQueueAsync(IChannel channel, string queue, IReadOnlyCollection<string> eventTypes, CancellationToken cancellationToken)
    {
        await DeclareExchangesAsync(channel, cancellationToken);
        await DeclareDeadLetterQueueAsync(channel, queue, cancellationToken);
        for (var level = 0; level < DeliveryPolicy.RetryDelays.Count; level++)
        {
            await channel.QueueDeclareAsync(RetryQueueOf(queue, level), durable: true, exclusive: false, autoDelete: false,
                arguments: new Dictionary<string, object?>
                {
                    ["x-queue-type"] = "quorum",
                    ["x-message-ttl"] = (int)DeliveryPolicy.RetryDelays[level].TotalMilliseconds,
                    ["x-dead-letter-exchange"] = "",
                    ["x-dead-letter-routing-key"] = queue,
                    ["x-dead-letter-strategy"] = "at-least-once",
                    ["x-overflow"] = "reject-publish",
                },
                cancellationToken: cancellationToken);
        }

        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?>
            {
                ["x-queue-type"] = "quorum",
                ["x-delivery-limit"] = DeliveryLimit,
                ["x-dead-letter-exchange"] = MessagingNames.DeadLetterExchange,
                ["x-dead-letter-routing-key"] = queue,
            },
            cancellationToken: cancellationToken);
        await BindAsync(channel, queue, eventTypes, cancellationToken);
    }

    /// <summary>
    /// A queue of this process alone (exclusive, gone with its connection) named
    /// <c>{queue}.{instance}</c>, so every replica gets every event of <paramref name="eventTypes"/>.
    /// What it cannot handle goes to the shared durable <c>{queue}.dead-letter</c>.
    /// </summary>
    public static async Task<string> DeclareBroadcastQueueAsync(
        IChannel channel, string queue, string instance, IReadOnlyCollection<string> eventTypes, CancellationToken cancellationToken)
    {
        await DeclareExchangesAsync(channel, cancellationToken);
        await DeclareDeadLetterQueueAsync(channel, queue, cancellationToken);
        var name = $"{queue}.{instance}";
        await channel.QueueDeclareAsync(name, durable: false, exclusive: true, autoDelete: true, arguments: null, cancellationToken: cancellationToken);
        await BindAsync(channel, name, eventTypes, cancellationToken);
        return name;
    }

    private static async Task DeclareDeadLetterQueueAsync(IChannel channel, string queue, CancellationToken cancellationToken)
    {
        var deadLetterQueue = MessagingNames.DeadLetterQueueOf(queue);
        await channel.QueueDeclareAsync(deadLetterQueue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" }, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(deadLetterQueue, MessagingNames.DeadLetterExchange, routingKey: queue, cancellationToken: cancellationToken);
    }

    private static async Task BindAsync(IChannel channel, string queue, IReadOnlyCollection<string> eventTypes, CancellationToken cancellationToken)
    {
        foreach (var eventType in eventTypes)
        {
            await channel.QueueBindAsync(queue, MessagingNames.EventsExchange, routingKey: eventType, cancellationToken: cancellationToken);
        }
    }
}
