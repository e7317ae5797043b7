using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using OpenTelemetry;
using QuestAspire.Auth.Api.Model;
using QuestAspire.Auth.Api.Services;
using QuestAspire.Data;

namespace QuestAspire.Auth.Api.Infrastructure;

/// <summary>
/// Group commit for the wallet writes that apps send (spends, admin adjustments): requests queue
/// here, and one loop writes whatever has queued as one batch, in one transaction of three round
/// trips whatever its size (claim the keys, read the answers of keys already taken and lock the
/// wallets; set the balances, write the entries and store the answers; commit), then answers each
/// request. A batch decides exactly what the same writes one transaction each would have, in queue
/// order (<see cref="WalletBatch.Decide"/>), and a request is answered only once its batch has
/// committed. A write once queued is written even if its caller goes away, so a retry with its key
/// finds its answer. See docs/decisions/0013-wallet-group-commit.md.
/// </summary>
public sealed class WalletWriter : IAsyncDisposable
{
    /// <summary>The most writes one transaction takes; more wait for the next.</summary>
    public const int MaxBatch = 256;

    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(
        new BoundedChannelOptions(4 * MaxBatch) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly IServiceScopeFactory _scopes;
    private readonly AuthTelemetry _telemetry;
    private readonly TimeProvider _time;
    private readonly ILogger<WalletWriter> _logger;
    private readonly Task _loop;

    public WalletWriter(IServiceScopeFactory scopes, AuthTelemetry telemetry, TimeProvider time, ILogger<WalletWriter> logger)
    {
        _scopes = scopes;
        _telemetry = telemetry;
        _time = time;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>
    /// Queues one write and answers it once its batch has committed: <paramref name="answer"/>'s
    /// answer to its outcome, or with a key, that answer as stored under the key (or the stored
    /// answer of an earlier request with the key, or 422). Throws what the batch's transaction threw.
    /// </summary>
    public async Task<IResult> WriteAsync(WalletWrite write, IdempotentRequest? key, Func<WalletOutcome, IResult> answer, HttpContext http, CancellationToken cancellationToken)
    {
        var pending = new Pending(write, key, answer, http, Activity.Current?.Context ?? default);
        await _queue.Writer.WriteAsync(pending, cancellationToken);
        return await pending.Done.Task; // not the caller's token: once queued, the write happens whether or not it waits
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private async Task RunAsync()
    {
        List<Pending> carried = [];
        while (carried.Count > 0 || await _queue.Reader.WaitToReadAsync())
        {
            var queued = carried;
            carried = [];
            while (queued.Count < MaxBatch && _queue.Reader.TryRead(out var next))
            {
                queued.Add(next);
            }

            // A key sent twice before either was written: the second waits for the next batch, where the first's answer is stored.
            var keys = new HashSet<(string, string)>();
            List<Pending> batch = [];
            foreach (var pending in queued)
            {
                (pending.Key is { } key && !keys.Add((key.Scope, key.Key)) ? carried : batch).Add(pending);
            }

            await WriteBatchAsync(batch);
        }
    }

    private async Task WriteBatchAsync(List<Pending> batch)
    {
        using var activity = _telemetry.ActivitySource.StartActivity(
            "wallet write batch", ActivityKind.Internal, parentContext: default,
            links: [.. batch.Where(p => p.Caller != default).Select(p => new ActivityLink(p.Caller))]);
        activity?.SetTag("wallet.batch.size", batch.Count);
        try
        {
            // The batch's span stands for its statements: a span per statement would outnumber the requests' own under load.
            using var statementsUntraced = SuppressInstrumentationScope.Begin();
            await using var scope = _scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
            var (answers, applied) = await db.Database.CreateExecutionStrategy().ExecuteAsync(ct => WriteOnceAsync(db, batch, ct), CancellationToken.None);
            activity?.SetTag("wallet.batch.applied", applied.Count);
            foreach (var change in applied)
            {
                _telemetry.WalletChanged(change);
            }

            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Done.TrySetResult(answers[i]);
            }
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            _logger.LogWarning(e, "A batch of {Count} wallet write(s) failed; nothing of it was written", batch.Count);
            foreach (var pending in batch)
            {
                pending.Done.TrySetException(e);
            }
        }
    }

    private async Task<(IResult[] Answers, List<WalletChange> Applied)> WriteOnceAsync(AuthDbContext db, List<Pending> batch, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = _time.GetUtcNow();
        var keyed = Enumerable.Range(0, batch.Count).Where(i => batch[i].Key is not null).ToList();
        IResult?[] replies;
        Dictionary<Guid, WalletState> wallets;
        await using (var claimAndLock = db.Database.CreateBatch())
        {
            // Keys first, then wallets, as every transaction that takes both does: no deadlock.
            var readReplies = Idempotency.ClaimKeys(claimAndLock, [.. keyed.Select(i => batch[i].Key!)], now);
            var readWallets = WalletLedger.LockWallets(claimAndLock, batch.Select(p => p.Write.Change.UserId));
            await using var reader = await claimAndLock.ExecuteReaderAsync(cancellationToken);
            replies = await readReplies(reader, cancellationToken);
            wallets = await readWallets(reader, cancellationToken);
        }

        var answers = new IResult?[batch.Count];
        for (var j = 0; j < keyed.Count; j++)
        {
            answers[keyed[j]] = replies[j];
        }

        var toWrite = Enumerable.Range(0, batch.Count).Where(i => answers[i] is null).ToList();
        var writes = toWrite.Select(i => batch[i].Write).ToList();
        var outcomes = WalletBatch.Decide(writes, wallets, () => Guid.CreateVersion7(now));
        List<WalletChange> applied = [];
        List<(IdempotentRequest, IdempotencyRecord)> kept = [];
        for (var j = 0; j < toWrite.Count; j++)
        {
            var pending = batch[toWrite[j]];
            var result = pending.Answer(outcomes[j]);
            if (pending.Key is { } key)
            {
                (var record, result) = await Idempotency.KeepAsync(result, pending.Http);
                kept.Add((key, record));
            }

            answers[toWrite[j]] = result;
            if (outcomes[j].Applied)
            {
                applied.Add(writes[j].Change);
            }
        }

        await using (var write = db.Database.CreateBatch())
        {
            WalletLedger.WriteDecided(write, writes, outcomes, wallets, now);
            Idempotency.StoreAnswers(write, kept);
            await write.ExecuteAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return ([.. answers.Select(a => a!)], applied);
    }

    private sealed record Pending(WalletWrite Write, IdempotentRequest? Key, Func<WalletOutcome, IResult> Answer, HttpContext Http, ActivityContext Caller)
    {
        public TaskCompletionSource<IResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
