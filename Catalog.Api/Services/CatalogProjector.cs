using Microsoft.EntityFrameworkCore;
using OpenTelemetry;

namespace QuestAspire.Catalog.Api.Services;

/// <summary>
/// Projects the catalog's event store onto the read model: events after the projected version, in
/// version order, each snapshot replacing a view only when it is newer (<see cref="CatalogProjection"/>).
/// Woken by <see cref="CatalogProjectionSignal"/> after each command and polling every second;
/// replicas take turns through the lock on the projected version. After applying it retires the
/// Redis cache, then releases the commands waiting for their version. At start it rebuilds an
/// empty read model of a catalog that has data (a database from before the read model).
/// </summary>
public sealed class CatalogProjector(
    IServiceScopeFactory scopeFactory,
    CatalogProjectionSignal signal,
    CatalogCache cache,
    TimeProvider timeProvider,
    ILogger<CatalogProjector> logger) : BackgroundService
{
    private const int BatchSize = 500;
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var bootstrapped = false;
        var backoff = TimeSpan.FromMilliseconds(100);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!bootstrapped)
                {
                    await RebuildIfEmptyAsync(stoppingToken);
                    bootstrapped = true;
                }

                var applied = await ProjectBatchAsync(stoppingToken);
                backoff = TimeSpan.FromMilliseconds(100);
                if (applied < BatchSize)
                {
                    await signal.WaitForWorkAsync(PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database away: the events stay and are projected once it is back.
                logger.LogWarning(e, "Catalog projection failed; retrying in {Backoff}", backoff);
                await Task.Delay(backoff, timeProvider, stoppingToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    private async Task RebuildIfEmptyAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<CatalogReadModel>().RebuildAsync(onlyIfEmpty: true, cancellationToken);
    }

    private async Task<int> ProjectBatchAsync(CancellationToken cancellationToken)
    {
        // The polling is not traced: a trace a second would bury the real ones.
        using var untraced = SuppressInstrumentationScope.Begin();
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();

        var (count, version, changed) = await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var projected = await db.LockCounterAsync(CatalogCounter.ReadModel, ct);
            var events = await db.CatalogEvents.AsNoTracking()
                .Where(e => e.Version > projected)
                .OrderBy(e => e.Version)
                .Take(BatchSize)
                .ToListAsync(ct);
            if (events.Count == 0)
            {
                return (0, projected, false);
            }

            // Load only the views these events concern; the projection adds the missing ones.
            var targets = events.Select(e => CatalogProjection.Target(e.EventType, e.Data)).ToList();
            var questIds = targets.Where(t => t.QuestId is not null).Select(t => t.QuestId!.Value).Distinct().ToList();
            var rewardIds = targets.Where(t => t.RewardId is not null).Select(t => t.RewardId!.Value).Distinct().ToList();
            var quests = await db.QuestViews.Where(v => questIds.Contains(v.QuestId)).ToDictionaryAsync(v => v.QuestId, ct);
            var rewards = await db.RewardViews.Where(v => rewardIds.Contains(v.RewardId)).ToDictionaryAsync(v => v.RewardId, ct);

            var projection = new CatalogProjection(quests, rewards);
            var applied = events.Count(e => projection.Apply(e.EventType, e.Data));
            db.QuestViews.AddRange(quests.Values.Where(v => db.Entry(v).State == EntityState.Detached).ToList());
            db.RewardViews.AddRange(rewards.Values.Where(v => db.Entry(v).State == EntityState.Detached).ToList());

            var last = events[^1].Version;
            await db.SetCounterAsync(CatalogCounter.ReadModel, last, ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return (events.Count, last, applied > 0);
        }, cancellationToken);

        if (changed)
        {
            await cache.InvalidateAsync();
        }

        if (count > 0)
        {
            logger.LogDebug("Projected {Count} catalog events up to version {Version}", count, version);
        }

        // Also when another replica did the work: this process's commands wait on it.
        signal.Advance(version);
        return count;
    }
}
