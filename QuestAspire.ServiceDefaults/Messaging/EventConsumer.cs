using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace QuestAspire.ServiceDefaults.Messaging;

/// <summary>
/// Handles the events of one queue. It gets them in batches (one DI scope and, normally, one
/// database transaction per batch) because committing once per message caps throughput near the
/// database's commit rate. It must be idempotent: a batch may be delivered again after a crash.
/// </summary>
public interface IIntegrationEventHandler
{
    Task HandleAsync(EventBatch events, CancellationToken cancellationToken);
}

public sealed class EventConsumerOptions
{
    public string Queue { get; set; } = "";

    /// <summary>Unacknowledged deliveries the broker may send ahead.</summary>
    public ushort PrefetchCount { get; set; } = 500;

    /// <summary>At most this many events go to the handler at once.</summary>
    public int MaxBatchSize { get; set; } = 200;
}

/// <summary>
/// Consumes one queue: a message is acknowledged only after its handler's transaction has
/// committed. A message that is not a well-formed event of a type this queue subscribes to is
/// dead-lettered at once with the reason; a handler failure is retried message by message, and
/// a message that keeps failing is dead-lettered by the broker after
/// <see cref="RabbitMQTopology.DeliveryLimit"/> deliveries. Either way the consumer keeps going.
/// </summary>
public sealed class EventConsumer<THandler>(
    IConnection connection,
    IServiceScopeFactory scopeFactory,
    EventPublisher publisher,
    MessagingTelemetry telemetry,
    TimeProvider timeProvider,
    IOptions<EventConsumerOptions> options,
    ILogger<EventConsumer<THandler>> logger) : BackgroundService
    where THandler : IIntegrationEventHandler
{
    private readonly EventConsumerOptions _options = options.Value;

    private sealed record Delivery(ulong Tag, ReadOnlyMemory<byte> Body, bool Redelivered, ActivityContext ParentContext, long ReceivedAt);

    private static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(15);

    // A lost channel (broker restart, network) ends a session; the next one starts on a new
    // channel. Deliveries not yet acknowledged go back to the queue and come again.
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(500);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ConsumeAsync(() => delay = TimeSpan.FromMilliseconds(500), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Consuming {Queue} stopped; reconnecting in {Delay}", _options.Queue, delay);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxReconnectDelay.Ticks));
            }
        }
    }

    private async Task ConsumeAsync(Action connected, CancellationToken stoppingToken)
    {
        var subscribed = MessagingNames.Subscriptions[_options.Queue].ToHashSet(StringComparer.Ordinal);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: stoppingToken);
        await RabbitMQTopology.DeclareAsync(channel, stoppingToken);
        await channel.BasicQosAsync(0, _options.PrefetchCount, global: false, stoppingToken);

        var deliveries = Channel.CreateUnbounded<Delivery>(new UnboundedChannelOptions { SingleReader = true });
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, args) =>
        {
            // The body is only valid during this callback; the client's receive span is current here.
            var parent = Activity.Current?.Context ?? default;
            deliveries.Writer.TryWrite(new Delivery(args.DeliveryTag, args.Body.ToArray(), args.Redelivered, parent, timeProvider.GetTimestamp()));
            return Task.CompletedTask;
        };
        channel.ChannelShutdownAsync += (_, args) =>
        {
            deliveries.Writer.TryComplete(new IOException($"The channel of {_options.Queue} closed: {args.ReplyText}"));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(_options.Queue, autoAck: false, consumer, stoppingToken);
        logger.LogInformation("Consuming {Queue} (prefetch {Prefetch})", _options.Queue, _options.PrefetchCount);
        connected();

        var batch = new List<Delivery>(_options.MaxBatchSize);
        while (await deliveries.Reader.WaitToReadAsync(stoppingToken))
        {
            batch.Clear();
            while (batch.Count < _options.MaxBatchSize && deliveries.Reader.TryRead(out var delivery))
            {
                batch.Add(delivery);
            }

            await ProcessBatchAsync(channel, batch, subscribed, stoppingToken);
        }
    }

    private async Task ProcessBatchAsync(IChannel channel, List<Delivery> batch, HashSet<string> subscribed, CancellationToken cancellationToken)
    {
        var events = new List<(Delivery Delivery, ReceivedEvent Event)>(batch.Count);
        foreach (var delivery in batch)
        {
            if (!IntegrationEvent.TryParse(delivery.Body, out var integrationEvent, out var reason))
            {
                await DeadLetterAsync(delivery, "malformed", reason, cancellationToken);
            }
            else if (!subscribed.Contains(integrationEvent.EventType))
            {
                await DeadLetterAsync(delivery, "unsubscribed", $"event type '{integrationEvent.EventType}' is not handled on {_options.Queue}", cancellationToken);
            }
            else
            {
                events.Add((delivery, new ReceivedEvent(integrationEvent, delivery.ParentContext, delivery.Redelivered)));
            }
        }

        var requeued = new HashSet<ulong>();
        if (events.Count > 0 && !await TryHandleAsync(events, cancellationToken))
        {
            // Find the one that fails: handle each alone, put back only what still fails.
            foreach (var single in events)
            {
                if (events.Count == 1 || !await TryHandleAsync([single], cancellationToken))
                {
                    await channel.BasicNackAsync(single.Delivery.Tag, multiple: false, requeue: true, cancellationToken);
                    requeued.Add(single.Delivery.Tag);
                }
            }
        }

        // Everything else up to the last tag is committed or dead-lettered: one ack covers it. A
        // tag that was put back is no longer outstanding and must not be acknowledged.
        var lastDone = batch.LastOrDefault(d => !requeued.Contains(d.Tag));
        if (lastDone is not null)
        {
            await channel.BasicAckAsync(lastDone.Tag, multiple: true, cancellationToken);
        }
    }

    // Each event's handling is a span in its own trace, under the span of its delivery.
    private async Task<bool> TryHandleAsync(List<(Delivery Delivery, ReceivedEvent Event)> events, CancellationToken cancellationToken)
    {
        var traced = new List<ReceivedEvent>(events.Count);
        foreach (var (_, received) in events)
        {
            traced.Add(received with { Activity = StartProcessing(received) });
        }

        try
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<THandler>().HandleAsync(new EventBatch(traced, telemetry.ActivitySource), cancellationToken);
            foreach (var (delivery, received) in events)
            {
                telemetry.EventProcessed(_options.Queue, received.Event.EventType, timeProvider.GetElapsedTime(delivery.ReceivedAt));
            }

            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            foreach (var received in traced)
            {
                received.Activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            }

            logger.LogWarning(e, "Handling {Count} event(s) from {Queue} failed, first {EventId}", events.Count, _options.Queue, events[0].Event.Event.EventId);
            return false;
        }
        finally
        {
            foreach (var received in traced)
            {
                received.Activity?.Dispose();
            }
        }
    }

    private Activity? StartProcessing(ReceivedEvent received)
    {
        var previous = Activity.Current;
        var activity = telemetry.ActivitySource.StartActivity($"process {received.Event.EventType}", ActivityKind.Internal, received.ParentContext);
        Activity.Current = previous; // the batch's spans are entered one at a time, never nested
        if (activity is not null)
        {
            activity.SetTag("messaging.destination.name", _options.Queue);
            activity.SetTag("event.id", received.Event.EventId);
            activity.SetTag("event.type", received.Event.EventType);
            activity.SetTag("user.id", received.Event.UserId);
            if (received.Redelivered)
            {
                activity.SetTag("messaging.redelivered", true);
            }
        }

        return activity;
    }

    private async Task DeadLetterAsync(Delivery delivery, string errorType, string reason, CancellationToken cancellationToken)
    {
        using var activity = telemetry.ActivitySource.StartActivity("dead-letter", ActivityKind.Internal, delivery.ParentContext);
        activity?.SetTag("messaging.destination.name", _options.Queue);
        activity?.SetTag("error.type", errorType);
        activity?.SetStatus(ActivityStatusCode.Error, reason);
        logger.LogError("Dead-lettering a message from {Queue}: {Reason}. Body: {Body}",
            _options.Queue, reason, Encoding.UTF8.GetString(delivery.Body.Span[..Math.Min(delivery.Body.Length, 512)]));
        await publisher.PublishAsync(MessagingNames.DeadLetterExchange, _options.Queue, Guid.NewGuid(), "DeadLetter", delivery.Body,
            new Dictionary<string, object?> { [MessagingNames.DeadLetterReasonHeader] = reason }, cancellationToken);
        telemetry.DeadLettered(_options.Queue, errorType);
    }
}
