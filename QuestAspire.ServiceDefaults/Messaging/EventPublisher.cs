using System.Text;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace QuestAspire.ServiceDefaults.Messaging;

/// <summary>
/// Publishes to RabbitMQ with publisher confirms: a publish returns once the
/// broker has taken responsibility for the message (persistent, on durable quorum queues), and
/// throws when it refuses it. RabbitMQ.Client creates the publish span and writes the W3C trace
/// context into the message headers itself.
/// </summary>
public sealed class EventPublisher(IConnection connection, ILogger<EventPublisher> logger) : IAsyncDisposable
{
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
    public async Task PublishAsync(string exchange, string routingKey, BasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        properties.DeliveryMode = DeliveryModes.Persistent;
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var channel = await GetChannelAsync(cancellationToken);
            // mandatory: an event no queue is bound for is returned, and the confirm fails.
            await channel.BasicPublishAsync(exchange, routingKey, mandatory: true, properties, body, cancellationToken);
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

    private async Task<IChannel> GetChannelAsync(CancellationToken cancellationToken)
    {
        if (_channel is { IsOpen: true })
        {
            return _channel;
        }

        await ResetChannelAsync();
        var channel = await connection.CreateChannelAsync(
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
