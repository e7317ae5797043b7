using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace QuestAspire.EventBus;

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
    /// <summary>The name under which a handler's consumer options are configured.</summary>
    public static string NameFor<THandler>() => typeof(THandler).FullName!;

    public string Queue { get; set; } = "";

    /// <summary>The event types this queue subscribes to: the service declares its own subscriptions.</summary>
    public IReadOnlyCollection<string> EventTypes { get; set; } = [];

    /// <summary>
    /// One queue per replica (<c>{Queue}.{instance}</c>, gone with the process) instead of one
    /// shared durable queue: every replica sees every event. For handlers that only update memory.
    /// </summary>
    public bool Broadcast { get; set; }

    /// <summary>
    /// Runs (in the background) each time the queue has been declared and consuming has begun,
    /// e.g. to load a snapshot that the events from now on will keep up to date.
    /// </summary>
    public Func<IServiceProvider, CancellationToken, Task>? OnSubscribed { get; set; }

    /// <summary>Unacknowledged deliveries the broker may send ahead.</summary>
    public ushort PrefetchCount { get; set; } = 500;

    /// <summary>At most this many events go to the handler at once.</summary>
    public int MaxBatchSize { get; set; } = 200;
}

/// <summary>
/// Consumes one queue: a message is acknowledged only after its handler's transaction has
/// committed. A message that is not a well-formed event of a type this queue subscribes to is
/// dead-lettered at once with the reason. A failed batch is sorted by <see cref="DeliveryPolicy"/>:
/// a transient failure (a dependency away) parks the whole batch in a delay queue, never using up
/// the poison budget; otherwise each event is tried alone and only what still fails is
/// dead-lettered (permanent) or put back (unknown, dead-lettered by the broker after
/// <see cref="RabbitMQTopology.DeliveryLimit"/> deliveries). Either way the consumer keeps going.
/// </summary>
public sealed class EventConsumer<THandler>(
    IServiceProvider services,
    IServiceScopeFactory scopeFactory,
    EventPublisher publisher,
    MessagingTelemetry telemetry,
    TimeProvider timeProvider,
    IOptionsMonitor<EventConsumerOptions> options,
    ILogger<EventConsumer<THandler>> logger) : BackgroundService
    where THandler : IIntegrationEventHandler
{
    private readonly EventConsumerOptions _options = options.Get(EventConsumerOptions.NameFor<THandler>());
    private readonly string _instance = Guid.NewGuid().ToString("N")[..8];

    private sealed record Delivery(ulong Tag, ReadOnlyMemory<byte> Body, BasicProperties Properties, bool Redelivered, ActivityContext ParentContext, long ReceivedAt);

    private static readonly TimeSpan TransientRequeueDelay = TimeSpan.FromSeconds(1);

    // A lost channel (broker restart, network) ends a session; the next one starts on a new
    // channel. Deliveries not yet acknowledged go back to the queue and come again.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        BrokerSessions.RunAsync(ConsumeAsync, _options.Queue, timeProvider, logger, stoppingToken);

    private async Task ConsumeAsync(Action connected, CancellationToken stoppingToken)
    {
        var subscribed = _options.EventTypes.ToHashSet(StringComparer.Ordinal);
        // Resolved here, in the background, not in the constructor: the first resolution connects
        // (with retries), and a hosted service's constructor that waits for the broker holds up the
        // host's start, Kestrel included.
        var connection = services.GetRequiredService<IConnection>();
        await using var channel = await connection.CreateChannelAsync(cancellationToken: stoppingToken);
        var queue = _options.Broadcast
            ? await RabbitMQTopology.DeclareBroadcastQueueAsync(channel, _options.Queue, _instance, _options.EventTypes, stoppingToken)
            : await DeclareAsync(channel, stoppingToken);
        await channel.BasicQosAsync(0, _options.PrefetchCount, global: false, stoppingToken);

        var deliveries = Channel.CreateUnbounded<Delivery>(new UnboundedChannelOptions { SingleReader = true });
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, args) =>
        {
            // The body is only valid during this callback; the client's receive span is current here.
            var parent = Activity.Current?.Context ?? default;
            deliveries.Writer.TryWrite(new Delivery(args.DeliveryTag, args.Body.ToArray(), new BasicProperties(args.BasicProperties),
                args.Redelivered, parent, timeProvider.GetTimestamp()));
            return Task.CompletedTask;
        };
        channel.ChannelShutdownAsync += (_, args) =>
        {
            deliveries.Writer.TryComplete(new IOException($"The channel of {queue} closed: {args.ReplyText}"));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: false, consumer, stoppingToken);
        logger.LogInformation("Consuming {Queue} (prefetch {Prefetch})", queue, _options.PrefetchCount);
        connected();
        if (_options.OnSubscribed is { } onSubscribed)
        {
            _ = Task.Run(() => RunOnSubscribedAsync(onSubscribed, stoppingToken), CancellationToken.None);
        }

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

    private async Task<string> DeclareAsync(IChannel channel, CancellationToken cancellationToken)
    {
        await RabbitMQTopology.DeclareQueueAsync(channel, _options.Queue, _options.EventTypes, cancellationToken);
        return _options.Queue;
    }

    private async Task RunOnSubscribedAsync(Func<IServiceProvider, CancellationToken, Task> onSubscribed, CancellationToken stoppingToken)
    {
        try
        {
            await onSubscribed(services, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
        catch (Exception e)
        {
            logger.LogError(e, "The subscription hook of {Queue} failed", _options.Queue);
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
        if (events.Count > 0 && await TryHandleAsync(events, cancellationToken) is { } failure)
        {
            if (events.Count == 1 || !DeliveryPolicy.ShouldSplit(failure))
            {
                foreach (var single in events)
                {
                    await SettleFailureAsync(channel, single, failure, requeued, cancellationToken);
                }
            }
            else
            {
                // Find the one that fails: handle each alone, settle only what still fails.
                foreach (var single in events)
                {
                    if (await TryHandleAsync([single], cancellationToken) is { } singleFailure)
                    {
                        await SettleFailureAsync(channel, single, singleFailure, requeued, cancellationToken);
                    }
                }
            }
        }

        if (requeued.Count > 0 && _options.Broadcast)
        {
            // Put back on a queue without delay queues: wait once per batch, or it would come straight back.
            await Task.Delay(TransientRequeueDelay, timeProvider, cancellationToken);
        }

        // Everything else up to the last tag is committed, parked or dead-lettered: one ack covers
        // it. A tag that was put back is no longer outstanding and must not be acknowledged.
        var lastDone = batch.LastOrDefault(d => !requeued.Contains(d.Tag));
        if (lastDone is not null)
        {
            await channel.BasicAckAsync(lastDone.Tag, multiple: true, cancellationToken);
        }
    }

    private async Task SettleFailureAsync(
        IChannel channel, (Delivery Delivery, ReceivedEvent Event) failed, Exception failure, HashSet<ulong> requeued, CancellationToken cancellationToken)
    {
        var (delivery, received) = failed;
        var retries = RetriesOf(delivery.Properties);
        var decision = DeliveryPolicy.OnFailure(failure, retries, durable: !_options.Broadcast);
        switch (decision.Action)
        {
            case DeliveryAction.RetryLater:
                await RetryLaterAsync(delivery, received, decision, retries, cancellationToken);
                break;
            case DeliveryAction.DeadLetter:
                await DeadLetterAsync(delivery, decision.Failure == FailureClass.Permanent ? "permanent" : "unknown", decision.Reason!, cancellationToken);
                break;
            default:
                logger.LogWarning("Putting {EventType} {EventId} back on {Queue} ({Failure}): {Reason}",
                    received.Event.EventType, received.Event.EventId, _options.Queue, decision.Failure, decision.Reason);
                await channel.BasicNackAsync(delivery.Tag, multiple: false, requeue: true, cancellationToken);
                requeued.Add(delivery.Tag);
                break;
        }
    }

    // Parked in the delay queue of its level; the broker returns it to the queue after the TTL.
    // The publish is confirmed before the original is acknowledged, so a crash in between only
    // delivers it twice (the handler is idempotent).
    private async Task RetryLaterAsync(Delivery delivery, ReceivedEvent received, DeliveryDecision decision, int retries, CancellationToken cancellationToken)
    {
        var retryQueue = RabbitMQTopology.RetryQueueOf(_options.Queue, decision.RetryLevel);
        logger.LogWarning("{EventType} {EventId} failed on {Queue} ({Reason}); retry {Retry} in {Delay}",
            received.Event.EventType, received.Event.EventId, _options.Queue, decision.Reason, retries + 1, DeliveryPolicy.RetryDelays[decision.RetryLevel]);
        var properties = new BasicProperties(delivery.Properties)
        {
            Headers = new Dictionary<string, object?>(delivery.Properties.Headers ?? new Dictionary<string, object?>())
            {
                [MessagingNames.RetriesHeader] = retries + 1,
                [MessagingNames.DeadLetterReasonHeader] = decision.Reason,
            },
        };
        properties.Headers.Remove("traceparent"); // the publish span writes the event's own trace context
        properties.Headers.Remove("tracestate");
        using (received.EnterTrace())
        {
            await publisher.PublishAsync("", retryQueue, properties, delivery.Body, cancellationToken);
        }

        telemetry.RetriedLater(_options.Queue, decision.RetryLevel);
    }

    private static int RetriesOf(BasicProperties properties) =>
        properties.Headers?.TryGetValue(MessagingNames.RetriesHeader, out var value) == true
            ? value switch
            {
                int i => i,
                long l => (int)Math.Min(l, int.MaxValue),
                byte[] bytes when int.TryParse(Encoding.UTF8.GetString(bytes), out var parsed) => parsed,
                _ => 0,
            }
            : 0;

    // Each event's handling is a span in its own trace, under the span of its delivery. The
    // failure, if any, is returned rather than thrown: the caller decides what it means.
    private async Task<Exception?> TryHandleAsync(List<(Delivery Delivery, ReceivedEvent Event)> events, CancellationToken cancellationToken)
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

            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            foreach (var received in traced)
            {
                received.Activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            }

            logger.LogWarning(e, "Handling {Count} event(s) from {Queue} failed ({Failure}), first {EventId}",
                events.Count, _options.Queue, FailureClassifier.Classify(e), events[0].Event.Event.EventId);
            return e;
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
        logger.LogError("Dead-lettering a message from {Queue} ({ErrorType}): {Reason}. Body: {Body}",
            _options.Queue, errorType, reason, Encoding.UTF8.GetString(delivery.Body.Span[..Math.Min(delivery.Body.Length, 512)]));
        var properties = new BasicProperties(delivery.Properties)
        {
            Headers = new Dictionary<string, object?>(delivery.Properties.Headers ?? new Dictionary<string, object?>())
            {
                [MessagingNames.DeadLetterReasonHeader] = reason,
            },
        };
        properties.MessageId ??= Guid.NewGuid().ToString();
        properties.Type ??= "DeadLetter";
        properties.ContentType ??= "application/json";
        await publisher.PublishAsync(MessagingNames.DeadLetterExchange, _options.Queue, properties, delivery.Body, cancellationToken);
        telemetry.DeadLettered(_options.Queue, errorType);
    }
}
