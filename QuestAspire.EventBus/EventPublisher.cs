using System.Text;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace QuestAspire.EventBus;

/// <summary>
/// Publishes to RabbitMQ with publisher confirms: a publish returns once the
/// broker has taken responsibility for the message (persistent, on durable quorum queues), and
/// throws when it refuses it. RabbitMQ.Client creates the publish span and writes the W3C trace
/// context into the message headers itself.
/// </summary>
public sealed class EventPublisher(IServiceProvider services, ILogger<EventPublisher> logger) : IAsyncDisposable
{
    // Resolved at the first publish, not when the publisher is made: the client integration
    // connects (with retries) when the connection is first resolved, and a constructor that waits
    // for the broker holds up the host's start, Kestrel included.
    private IConnection Connection => services.GetRequiredService<IConnection>();

    private readonly SemaphoreSlim _lock = new(1, 1);
    private IChannel? _channel;

    public Task PublishAsync(
        string exchange, string routingKey, Guid messageId, string eventType, ReadOnlyMemory<byte> body,
        IDictionary<string, object?>? headers, CancellationToken cancellationToken) =>
        PublishAsync(exchange, routingKey, new BasicProperties
        {
            MessageId = messageId.ToString(),
            Type = eventType,
            ContentType = "application/json",
            DeliveryMode = DeliveryModes.Persistent,
            Headers = headers,
        }, body, cancellationToken);

    /// <summary>Publishes with the given properties (a retried or replayed message keeps its own), persistent and mandatory.</summary>
    public Task PublishAsync(string exchange, string routingKey, BasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        properties.DeliveryMode = DeliveryModes.Persistent;
        // mandatory: an event no queue is bound for is returned, and the confirm fails.
        return PublishOneAsync(exchange, routingKey, properties, body, mandatory: true, cancellationToken);
    }

    /// <summary>
    /// Publishes a notification: not persistent and not mandatory, so one no queue is bound for
    /// is dropped (nobody is listening) rather than refused. For what may be lost, never for events.
    /// </summary>
    public Task NotifyAsync(string exchange, IntegrationEvent notification, CancellationToken cancellationToken) =>
        PublishOneAsync(exchange, notification.EventType, new BasicProperties
        {
            MessageId = notification.EventId.ToString(),
            Type = notification.EventType,
            ContentType = "application/json",
            DeliveryMode = DeliveryModes.Transient,
        }, notification.Serialize(), mandatory: false, cancellationToken);

    private async Task PublishOneAsync(
        string exchange, string routingKey, BasicProperties properties, ReadOnlyMemory<byte> body, bool mandatory, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var channel = await GetChannelAsync(cancellationToken);
            await channel.BasicPublishAsync(exchange, routingKey, mandatory, properties, body, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Publishing {EventType} {MessageId} to {Exchange}/{RoutingKey} failed", properties.Type, properties.MessageId, exchange, routingKey);
            await ResetChannelAsync();
            throw;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// Publishes several messages and waits for all their confirms at once (one round trip's wait
    /// for the lot, not one per message). Answers each message's outcome: null when the broker
    /// confirmed it, else why not (a <see cref="RabbitMQ.Client.Exceptions.PublishReturnException"/>
    /// when no queue is bound for it). <paramref name="enterTrace"/> is entered around the start of
    /// each publish, so its span (and the context written into the headers) is that message's.
    /// </summary>
    public async Task<Exception?[]> PublishManyAsync(
        IReadOnlyList<(string Exchange, string RoutingKey, BasicProperties Properties, ReadOnlyMemory<byte> Body)> messages,
        Func<int, IDisposable?>? enterTrace, CancellationToken cancellationToken)
    {
        var outcomes = new Exception?[messages.Count];
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var channel = await GetChannelAsync(cancellationToken);
            var confirms = new Task[messages.Count];
            for (var i = 0; i < messages.Count; i++)
            {
                var (exchange, routingKey, properties, body) = messages[i];
                properties.DeliveryMode = DeliveryModes.Persistent;
                using (enterTrace?.Invoke(i))
                {
                    confirms[i] = channel.BasicPublishAsync(exchange, routingKey, mandatory: true, properties, body, cancellationToken).AsTask();
                }
            }

            var broken = false;
            for (var i = 0; i < confirms.Length; i++)
            {
                try
                {
                    await confirms[i];
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    outcomes[i] = e;
                    broken |= e is not RabbitMQ.Client.Exceptions.PublishReturnException;
                }
            }

            if (broken)
            {
                logger.LogWarning(outcomes.First(o => o is not null and not RabbitMQ.Client.Exceptions.PublishReturnException),
                    "Publishing {Count} messages failed in part", messages.Count);
                await ResetChannelAsync();
            }

            return outcomes;
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<IChannel> GetChannelAsync(CancellationToken cancellationToken)
    {
        if (_channel is { IsOpen: true })
        {
            return _channel;
        }

        await ResetChannelAsync();
        var channel = await Connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
            cancellationToken);
        channel.BasicReturnAsync += (_, args) =>
        {
            logger.LogError("{RoutingKey} message {MessageId} was returned: {ReplyText}",
                args.RoutingKey, args.BasicProperties.MessageId, args.ReplyText ?? Encoding.UTF8.GetString(args.Body.Span));
            return Task.CompletedTask;
        };
        await RabbitMQTopology.DeclareExchangesAsync(channel, cancellationToken);
        return _channel = channel;
    }

    private async Task ResetChannelAsync()
    {
        if (_channel is not null)
        {
            try
            {
                await _channel.DisposeAsync();
            }
            catch (Exception e)
            {
                logger.LogDebug(e, "Disposing a broken channel failed");
            }

            _channel = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ResetChannelAsync();
        _lock.Dispose();
    }
}
