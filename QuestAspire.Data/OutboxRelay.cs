using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace QuestAspire.Data;

/// <summary>
/// Wakes a background loop as soon as there is work for it (a commit it should look at), or lets
/// it look anyway when its poll interval has passed. Several wake-ups before it looks count as one.
/// </summary>
public class WakeSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => _channel.Writer.TryWrite(true);

    /// <summary>Returns when notified, or after <paramref name="timeout"/> (the poll interval), whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await _channel.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // the poll interval passed: look anyway, e.g. for work another replica left behind
        }
    }
}

/// <summary>Wakes the relay as soon as a transaction with outbox rows has committed.</summary>
public sealed class OutboxSignal : WakeSignal;

/// <summary>
/// Publishes unsent outbox rows, oldest first, and marks them sent. Rows are locked with
/// <c>FOR UPDATE SKIP LOCKED</c>, so several replicas share the work without publishing a row
/// twice; a crash between publish and commit publishes it again, which consumers deduplicate.
/// Each message is published inside the trace of the request that wrote it, however much later;
/// the polling itself is not traced (a trace a second per replica would bury the real ones).
/// </summary>
public sealed class OutboxRelay<TContext>(
    IServiceScopeFactory scopeFactory,
    EventPublisher publisher,
    OutboxSignal signal,
    MessagingTelemetry telemetry,
    TimeProvider timeProvider,
    ILogger<OutboxRelay<TContext>> logger) : BackgroundService
    where TContext : DbContext, IOutboxDbContext
{
    private const int BatchSize = 200;
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var sent = await RelayBatchAsync(stoppingToken);
                backoff = TimeSpan.FromMilliseconds(100);
                if (sent < BatchSize)
                {
                    await signal.WaitAsync(PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Broker or database away: the rows stay unsent and are retried.
                logger.LogWarning(e, "Outbox relay failed; retrying in {Backoff}", backoff);
                await Task.Delay(backoff, timeProvider, stoppingToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    private async Task<int> RelayBatchAsync(CancellationToken cancellationToken)
    {
        using var untraced = SuppressInstrumentationScope.Begin();
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();

        // The Aspire Npgsql integration turns on EF's retrying strategy, which runs a
        // user-initiated transaction only as a whole unit it can retry.
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);

            var rows = await db.OutboxMessages
                .FromSql($"SELECT * FROM outbox_messages WHERE sent_at IS NULL ORDER BY created_at LIMIT {BatchSize} FOR UPDATE SKIP LOCKED")
                .AsNoTracking()
                .ToListAsync(ct);
            telemetry.OutboxObserved(rows.Count > 0 ? rows[0].CreatedAt : null);
            if (rows.Count == 0)
            {
                return 0;
            }

            // One wait for all the batch's confirms. Each row keeps its own trace.
            var outcomes = await publisher.PublishManyAsync(
                [.. rows.Select(row => (MessagingNames.EventsExchange, row.EventType, Properties(row), (ReadOnlyMemory<byte>)row.Payload))],
                i => EnterOriginalTrace(rows[i]), ct);
            var settled = OutboxBatchOutcome.Of(outcomes);

            foreach (var i in settled.Unrouted)
            {
                // No queue is bound for this event type yet (its consumer has not declared its
                // queue): the row waits for the next round, and does not hold up the others.
                logger.LogWarning("{EventType} {EventId} has no queue to go to yet; it waits in the outbox", rows[i].EventType, rows[i].Id);
            }

            // What was published is marked sent even when the broker went away midway: one statement.
            var sent = settled.Sent.Select(i => rows[i].Id).ToArray();
            if (sent.Length > 0)
            {
                await db.Database.ExecuteSqlAsync($"UPDATE outbox_messages SET sent_at = {timeProvider.GetUtcNow()} WHERE id = ANY({sent})", ct);
            }

            await transaction.CommitAsync(ct);
            if (settled.BrokerFailure is not null)
            {
                throw new IOException($"The broker confirmed {settled.Sent.Count} of {rows.Count} outbox rows.", settled.BrokerFailure);
            }

            logger.LogDebug("Relayed {Count} outbox messages", settled.Sent.Count);
            if (rows.Count < BatchSize && settled.Unrouted.Count == 0)
            {
                telemetry.OutboxObserved(null); // caught up (rows other replicas hold are theirs to report)
            }

            return settled.Unrouted.Count > 0 ? 0 : rows.Count; // unroutable rows: wait a poll interval rather than spin on them
        }, cancellationToken);
    }

    private static BasicProperties Properties(OutboxMessage row) => new()
    {
        MessageId = row.Id.ToString(),
        Type = row.EventType,
        ContentType = "application/json",
    };

    // The publish span (and RabbitMQ's, which carries the context in the headers) continues the
    // trace stored with the row, even when the broker was away and the row waited.
    private TraceEntered EnterOriginalTrace(OutboxMessage row)
    {
        var traced = SuppressInstrumentationScope.Begin(false);
        var activity = telemetry.ActivitySource.StartActivity($"outbox relay {row.EventType}", ActivityKind.Internal, row.ParentContext);
        activity?.SetTag("event.id", row.Id);
        activity?.SetTag("event.type", row.EventType);
        activity?.SetTag("outbox.wait", (timeProvider.GetUtcNow() - row.CreatedAt).TotalSeconds);
        return new TraceEntered(activity, traced);
    }

    private sealed class TraceEntered(Activity? activity, IDisposable suppression) : IDisposable
    {
        public void Dispose()
        {
            activity?.Dispose();
            suppression.Dispose();
        }
    }
}

/// <summary>
/// What a relayed batch's publish outcomes mean for its rows: confirmed ones are marked sent;
/// returned ones (no queue bound for the event type yet) wait for the next round without holding
/// up the others; any other failure (the broker went away) leaves the row unsent and makes the
/// relay back off. Rows confirmed before such a failure are still marked sent.
/// </summary>
public sealed record OutboxBatchOutcome(IReadOnlyList<int> Sent, IReadOnlyList<int> Unrouted, Exception? BrokerFailure)
{
    public static OutboxBatchOutcome Of(IReadOnlyList<Exception?> outcomes)
    {
        var sent = new List<int>();
        var unrouted = new List<int>();
        Exception? brokerFailure = null;
        for (var i = 0; i < outcomes.Count; i++)
        {
            switch (outcomes[i])
            {
                case null:
                    sent.Add(i);
                    break;
                case PublishReturnException:
                    unrouted.Add(i);
                    break;
                case var failure:
                    brokerFailure ??= failure;
                    break;
            }
        }

        return new OutboxBatchOutcome(sent, unrouted, brokerFailure);
    }
}
