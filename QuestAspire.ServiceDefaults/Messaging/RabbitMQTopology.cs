using RabbitMQ.Client;

namespace QuestAspire.ServiceDefaults.Messaging;

/// <summary>
/// Declares the whole topology. Publishers and consumers both declare it (declaring is
/// idempotent), so whichever service starts first, no event is published to a queue that does
/// not exist yet.
/// </summary>
public static class RabbitMQTopology
{
    /// <summary>A message whose handler keeps failing is dead-lettered by the broker after this many deliveries.</summary>
    public const int DeliveryLimit = 10;

    public static async Task DeclareAsync(IChannel channel, CancellationToken cancellationToken)
    {
        await channel.ExchangeDeclareAsync(MessagingNames.EventsExchange, ExchangeType.Direct, durable: true, cancellationToken: cancellationToken);
        await channel.ExchangeDeclareAsync(MessagingNames.DeadLetterExchange, ExchangeType.Direct, durable: true, cancellationToken: cancellationToken);

        foreach (var (queue, eventTypes) in MessagingNames.Subscriptions)
        {
            var deadLetterQueue = MessagingNames.DeadLetterQueueOf(queue);
            await channel.QueueDeclareAsync(deadLetterQueue, durable: true, exclusive: false, autoDelete: false,
                arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" }, cancellationToken: cancellationToken);
            await channel.QueueBindAsync(deadLetterQueue, MessagingNames.DeadLetterExchange, routingKey: queue, cancellationToken: cancellationToken);

            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
                arguments: new Dictionary<string, object?>
                {
                    ["x-queue-type"] = "quorum",
                    ["x-delivery-limit"] = DeliveryLimit,
                    ["x-dead-letter-exchange"] = MessagingNames.DeadLetterExchange,
                    ["x-dead-letter-routing-key"] = queue,
                },
                cancellationToken: cancellationToken);
            foreach (var eventType in eventTypes)
            {
                await channel.QueueBindAsync(queue, MessagingNames.EventsExchange, routingKey: eventType, cancellationToken: cancellationToken);
            }
        }
    }
}
