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
/// trips whatever its size (read the answers of keys already used and lock the wallets; store the
/// new answers under their keys, set the balances and write the entries; commit), then answers
/// each request. A batch decides exactly what the same writes one transaction each would have, in queue
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
            var strategy = db.Database.CreateExecutionStrategy();
            var (answers, applied) = await RetryWhileKeyTakenAsync(() => strategy.ExecuteAsync(ct => WriteOnceAsync(db, batch, ct), CancellationToken.None));
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

    /// <summary>The most times a batch runs again because one of its keys was taken while it ran.</summary>
    public const int MaxKeyTakenRetries = 5;

    /// <summary>
    /// Runs <paramref name="attempt"/> until it writes (not null): a batch finds its keys free,
    /// and one taken meanwhile (by a request with the same key in another replica, or on another
    /// endpoint) only shows when storing the answers; the next attempt replays that key's answer.
    /// </summary>
    public static async Task<T> RetryWhileKeyTakenAsync<T>(Func<Task<T?>> attempt)
        where T : struct
    {
        for (var tries = 1; ; tries++)
        {
            if (await attempt() is { } written)
            {
                return written;
            }

            if (tries > MaxKeyTakenRetries)
            {
                throw new InvalidOperationException($"A batch of wallet writes found one of its idempotency keys taken {tries} times in a row.");
            }
        }
    }

    // Null when a key was taken by a transaction that committed while this one ran: nothing is
    // committed, and the batch runs again, to replay that key's answer.
    private async Task<(IResult[] Answers, List<WalletChange> Applied)?> WriteOnceAsync(AuthDbContext db, List<Pending> batch, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = _time.GetUtcNow();
        var keyed = Enumerable.Range(0, batch.Count).Where(i => batch[i].Key is not null).ToList();
        IResult?[] replies;
        Dictionary<Guid, WalletState> wallets;
        await using (var readAndLock = db.Database.CreateBatch())
        {
            var readReplies = Idempotency.ReadAnswers(readAndLock, [.. keyed.Select(i => batch[i].Key!)]);
            var readWallets = WalletLedger.LockWallets(readAndLock, batch.Select(p => p.Write.Change.UserId));
            await using var reader = await readAndLock.ExecuteReaderAsync(cancellationToken);
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
            var readKept = Idempotency.InsertAnswers(write, kept, now);
            WalletLedger.WriteDecided(write, writes, outcomes, wallets, now);
            await using var reader = await write.ExecuteReaderAsync(cancellationToken);
            if (!await readKept(reader, cancellationToken))
            {
                return null;
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return ([.. answers.Select(a => a!)], applied);
    }

    private sealed record Pending(WalletWrite Write, IdempotentRequest? Key, Func<WalletOutcome, IResult> Answer, HttpContext Http, ActivityContext Caller)
    {
        public TaskCompletionSource<IResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
