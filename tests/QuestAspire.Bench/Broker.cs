using RabbitMQ.Client;

namespace QuestAspire.Bench;

public static class Broker
{
    private const int Window = 500;

    /// <summary>
    /// Persistent, mandatory publishes on one channel with publisher confirms, as the outbox relay
    /// publishes: up to <see cref="Window"/> in flight, each awaited until the broker confirmed it.
    /// </summary>
    public static async Task PublishConfirmedAsync(
        IConnection connection, string exchange, IEnumerable<(string RoutingKey, byte[] Body)> messages, CancellationToken cancellationToken)
    {
        await using var channel = await connection.CreateChannelAsync(
            // The window below bounds what is in flight; the client's own throttle (delays past 64) would hide the broker's rate.
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true,
                outstandingPublisherConfirmationsRateLimiter: null), cancellationToken);
        var properties = new BasicProperties { ContentType = "application/json", DeliveryMode = DeliveryModes.Persistent };
        var inFlight = new List<Task>(Window);
        foreach (var (routingKey, body) in messages)
        {
            inFlight.Add(channel.BasicPublishAsync(exchange, routingKey, mandatory: true, properties, body, cancellationToken).AsTask());
            if (inFlight.Count == Window)
            {
                await Task.WhenAll(inFlight).WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
                inFlight.Clear();
            }
        }

        await Task.WhenAll(inFlight).WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
    }

    /// <summary>Messages ready in a queue (not counting those delivered and not yet acknowledged).</summary>
    public static async Task<uint> ReadyAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        return (await channel.QueueDeclarePassiveAsync(queue, cancellationToken)).MessageCount;
    }
}
