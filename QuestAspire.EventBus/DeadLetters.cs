using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using QuestAspire.ServiceDefaults.Api;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace QuestAspire.EventBus;

/// <summary>A queue this service consumes (registered by <c>AddEventConsumer</c>).</summary>
public sealed record ConsumedQueue(string Name, bool Broadcast);

/// <summary>How many messages wait in a queue's dead-letter queue, and in its delay queues.</summary>
public sealed record QueueDepth(string Queue, long DeadLetters, long Retrying);

/// <summary>
/// Looks into and empties this service's dead-letter queues. A replay moves each dead letter back
/// to where it came from (its queue, or for a broadcast queue the events exchange) with a
/// publisher confirm before the dead letter is acknowledged, so a crash midway duplicates at worst,
/// which the idempotent handlers absorb. It moves at most what was there when it began: a message
/// that fails again and comes back is not replayed twice in one go.
/// </summary>
public sealed class DeadLetterService(IServiceProvider services, EventPublisher publisher, IEnumerable<ConsumedQueue> queues, ILogger<DeadLetterService> logger)
{
    // Resolved when first used, as in EventPublisher: making this service must not wait for the broker.
    private IConnection Connection => services.GetRequiredService<IConnection>();

    public const string ReplaysHeader = "x-questaspire-replays";

    private readonly IReadOnlyList<ConsumedQueue> _queues = [.. queues];

    public IReadOnlyList<ConsumedQueue> Queues => _queues;

    public async Task<IReadOnlyList<QueueDepth>> GetDepthsAsync(CancellationToken cancellationToken)
    {
        var depths = new List<QueueDepth>(_queues.Count);
        foreach (var queue in _queues)
        {
            var retrying = 0L;
            if (!queue.Broadcast)
            {
                for (var level = 0; level < DeliveryPolicy.RetryDelays.Count; level++)
                {
                    retrying += await CountAsync(RabbitMQTopology.RetryQueueOf(queue.Name, level), cancellationToken);
                }
            }

            depths.Add(new QueueDepth(queue.Name, await CountAsync(MessagingNames.DeadLetterQueueOf(queue.Name), cancellationToken), retrying));
        }

        return depths;
    }

    /// <summary>Replays the dead letters of <paramref name="queue"/> (or of all this service's queues); the count moved per queue.</summary>
    public async Task<IReadOnlyDictionary<string, long>> ReplayAsync(ConsumedQueue? queue, CancellationToken cancellationToken)
    {
        var replayed = new Dictionary<string, long>();
        foreach (var target in queue is null ? _queues : [queue])
        {
            replayed[target.Name] = await ReplayQueueAsync(target, cancellationToken);
        }

        return replayed;
    }

    private async Task<long> ReplayQueueAsync(ConsumedQueue queue, CancellationToken cancellationToken)
    {
        var deadLetterQueue = MessagingNames.DeadLetterQueueOf(queue.Name);
        var waiting = await CountAsync(deadLetterQueue, cancellationToken);
        await using var channel = await Connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var moved = 0L;
        for (var i = 0L; i < waiting; i++)
        {
            var message = await channel.BasicGetAsync(deadLetterQueue, autoAck: false, cancellationToken);
            if (message is null)
            {
                break;
            }

            var properties = new BasicProperties(message.BasicProperties);
            var headers = new Dictionary<string, object?>(properties.Headers ?? new Dictionary<string, object?>());
            headers.Remove(MessagingNames.DeadLetterReasonHeader);
            headers.Remove(MessagingNames.RetriesHeader);
            headers[ReplaysHeader] = ReplaysOf(headers) + 1;
            properties.Headers = headers;

            var (exchange, routingKey) = queue.Broadcast
                ? (MessagingNames.EventsExchange, EventTypeOf(message.Body))
                : ("", queue.Name);
            if (routingKey is null)
            {
                // Not an event of any type: it would only come back. It stays where it is.
                await channel.BasicNackAsync(message.DeliveryTag, multiple: false, requeue: true, cancellationToken);
                continue;
            }

            await publisher.PublishAsync(exchange, routingKey, properties, message.Body.ToArray(), cancellationToken);
            await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
            moved++;
        }

        logger.LogInformation("Replayed {Count} dead letter(s) of {Queue}", moved, queue.Name);
        return moved;
    }

    private async Task<long> CountAsync(string queue, CancellationToken cancellationToken)
    {
        // A passive declare of a missing queue closes the channel: one channel per look.
        await using var channel = await Connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue, cancellationToken)).MessageCount;
        }
        catch (OperationInterruptedException)
        {
            return 0; // not declared yet: nothing is in it
        }
    }

    private static long ReplaysOf(Dictionary<string, object?> headers) =>
        headers.TryGetValue(ReplaysHeader, out var value) ? value switch { int i => i, long l => l, _ => 0 } : 0;

    private static string? EventTypeOf(ReadOnlyMemory<byte> body) =>
        IntegrationEvent.TryParse(body, out var parsed, out _) ? parsed.EventType : null;
}

/// <summary>Polls the depth of this service's dead-letter and delay queues for the <c>messaging.queue.depth</c> gauge.</summary>
public sealed class QueueDepthMonitor(DeadLetterService deadLetters, MessagingTelemetry telemetry, TimeProvider timeProvider, ILogger<QueueDepthMonitor> logger)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, timeProvider);
        do
        {
            try
            {
                using var untraced = OpenTelemetry.SuppressInstrumentationScope.Begin();
                telemetry.QueueDepthsObserved(await deadLetters.GetDepthsAsync(stoppingToken));
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogDebug(e, "Reading the dead-letter queue depths failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

/// <summary>
/// <c>GET /api/admin/dead-letters</c> (depth per queue) and <c>POST /api/admin/dead-letters/replay[?queue=]</c>
/// (move them back for another try), for the admin role.
/// </summary>
public static class DeadLetterApi
{
    public sealed record QueueDepthResponse(string Queue, long DeadLetters, long Retrying);

    public sealed record ReplayResponse(IReadOnlyDictionary<string, long> Replayed);

    public static RouteGroupBuilder MapDeadLetterApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/admin/dead-letters").RequireAuthorization(Policies.Admin).WithTags("Dead letters");
        api.MapGet("/", GetDepthsAsync).WithSummary("Dead-lettered and retrying messages per consumed queue");
        api.MapPost("/replay", ReplayAsync).WithSummary("Move dead letters back for another try (one queue, or all)");
        return api;
    }

    public static async Task<Ok<QueueDepthResponse[]>> GetDepthsAsync(DeadLetterService deadLetters, CancellationToken cancellationToken) =>
        TypedResults.Ok((await deadLetters.GetDepthsAsync(cancellationToken)).Select(d => new QueueDepthResponse(d.Queue, d.DeadLetters, d.Retrying)).ToArray());

    public static async Task<Results<Ok<ReplayResponse>, NotFoundProblem>> ReplayAsync(
        DeadLetterService deadLetters, string? queue, CancellationToken cancellationToken)
    {
        ConsumedQueue? target = null;
        if (queue is not null && (target = deadLetters.Queues.FirstOrDefault(q => q.Name == queue)) is null)
        {
            return new NotFoundProblem($"This service consumes no queue '{queue}'; it consumes {string.Join(", ", deadLetters.Queues.Select(q => q.Name))}.");
        }

        return TypedResults.Ok(new ReplayResponse(await deadLetters.ReplayAsync(target, cancellationToken)));
    }
}
