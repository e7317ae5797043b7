using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace QuestAspire.EventBus;

/// <summary>The data of a <c>SecurityStampChanged</c> event: the user's new stamp.</summary>
public sealed record SecurityStampChangedData(string SecurityStamp);

/// <summary>
/// Keeps <see cref="SecurityStamps"/> up to date from the <c>security-stamps</c> stream, which Auth
/// feeds through its outbox. Each replica of each service reads it from one token lifetime back,
/// at start and after every reconnect, so a change is never missed, even by a replica that was
/// down when it happened. Reading is idempotent: the newest change of a user wins.
/// </summary>
public sealed class SecurityStampFeed(
    IServiceProvider services,
    SecurityStamps stamps,
    TimeProvider time,
    IOptions<JwtOptions> jwt,
    ILogger<SecurityStampFeed> logger) : BackgroundService, IHealthCheck
{
    /// <summary>Stamp changes are kept this long; a token lifetime is at most a day (<see cref="JwtOptions.Lifetime"/>).</summary>
    public const string StreamMaxAge = "2D";

    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(1);
    private volatile bool _consuming;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        BrokerSessions.RunAsync(ConsumeAsync, MessagingNames.SecurityStampsStream, time, logger, stoppingToken);

    private async Task ConsumeAsync(Action connected, CancellationToken stoppingToken)
    {
        try
        {
            await ReadStreamAsync(connected, stoppingToken);
        }
        finally
        {
            _consuming = false;
        }
    }

    private async Task ReadStreamAsync(Action connected, CancellationToken stoppingToken)
    {
        var connection = services.GetRequiredService<IConnection>();
        await using var channel = await connection.CreateChannelAsync(cancellationToken: stoppingToken);
        await DeclareAsync(channel, stoppingToken);
        // A stream needs a prefetch; its deliveries are acknowledged only to keep credit flowing.
        await channel.BasicQosAsync(0, 1000, global: false, stoppingToken);

        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        channel.ChannelShutdownAsync += (_, args) =>
        {
            closed.TrySetException(new IOException($"The channel of {MessagingNames.SecurityStampsStream} closed: {args.ReplyText}"));
            return Task.CompletedTask;
        };
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, args) =>
        {
            Apply(args.Body);
            await channel.BasicAckAsync(args.DeliveryTag, multiple: false);
        };

        var from = time.GetUtcNow() - jwt.Value.Lifetime - JwtAuthenticationExtensions.ClockSkew;
        await channel.BasicConsumeAsync(MessagingNames.SecurityStampsStream, autoAck: false, consumerTag: "", noLocal: false, exclusive: false,
            new Dictionary<string, object?> { ["x-stream-offset"] = new AmqpTimestamp(from.ToUnixTimeSeconds()) }, consumer, stoppingToken);
        _consuming = true;
        connected();
        logger.LogInformation("Reading {Stream} from {From:O}", MessagingNames.SecurityStampsStream, from);

        using var prune = new PeriodicTimer(PruneEvery, time);
        var closedTask = closed.Task;
        while (true)
        {
            var tick = prune.WaitForNextTickAsync(stoppingToken).AsTask();
            if (await Task.WhenAny(tick, closedTask) == closedTask)
            {
                await closedTask; // throws: reconnect
            }

            await tick;
            stamps.Prune();
        }
    }

    /// <summary>Declares the stream and binds it to the stamp events (every service does; the same arguments each time).</summary>
    public static async Task DeclareAsync(IChannel channel, CancellationToken cancellationToken)
    {
        await RabbitMQTopology.DeclareExchangesAsync(channel, cancellationToken);
        await channel.QueueDeclareAsync(MessagingNames.SecurityStampsStream, durable: true, exclusive: false, autoDelete: false,
            new Dictionary<string, object?> { ["x-queue-type"] = "stream", ["x-max-age"] = StreamMaxAge }, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(MessagingNames.SecurityStampsStream, MessagingNames.EventsExchange, MessagingNames.SecurityStampChanged, cancellationToken: cancellationToken);
    }

    private void Apply(ReadOnlyMemory<byte> body)
    {
        if (!IntegrationEvent.TryParse(body, out var changed, out var reason) || changed.EventType != MessagingNames.SecurityStampChanged)
        {
            logger.LogWarning("Skipped a message on {Stream}: {Reason}", MessagingNames.SecurityStampsStream, reason ?? "not a stamp change");
            return;
        }

        try
        {
            stamps.Apply(changed.UserId, changed.GetData<SecurityStampChangedData>().SecurityStamp, changed.OccurredAt);
        }
        catch (JsonException e)
        {
            logger.LogWarning(e, "Skipped stamp change {EventId}: its data is not a stamp", changed.EventId);
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_consuming
            ? HealthCheckResult.Healthy($"{stamps.Count} users with a recent stamp change")
            // Not unhealthy: a broker outage must not take the service out; tokens are still checked for what is known.
            : HealthCheckResult.Degraded($"not reading {MessagingNames.SecurityStampsStream} (the broker is away); revocations arrive when it is back"));
}
