using Microsoft.EntityFrameworkCore;

namespace QuestAspire.Catalog.Api.Services;

/// <summary>Rebuilds the read model (quest and reward views) from the write side.</summary>
public sealed class CatalogReadModel(CatalogDbContext db, CatalogProjectionSignal signal, CatalogCache cache, ILogger<CatalogReadModel> logger)
{
    /// <summary>
    /// Replaces every view with the current quests and rewards, at their stored versions, in one
    /// transaction, and sets the projected version to the catalog version. With
    /// <paramref name="onlyIfEmpty"/>, does so only when there are no views but there is data
    /// (a database from before the read model), and otherwise answers null.
    /// </summary>
    public async Task<RebuildResponse?> RebuildAsync(bool onlyIfEmpty, CancellationToken cancellationToken)
    {
        var rebuilt = await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);

            // The writers' lock, then the projector's (the order both keep): no write commits and
            // no projection runs while the views are replaced.
            var catalogVersion = await db.LockCounterAsync(CatalogCounter.Catalog, ct);
            await db.LockCounterAsync(CatalogCounter.ReadModel, ct);

            if (onlyIfEmpty && (await db.QuestViews.AnyAsync(ct) || await db.RewardViews.AnyAsync(ct)
                || !(await db.Quests.AnyAsync(ct) || await db.Rewards.AnyAsync(ct))))
            {
                return null;
            }

            var quests = (await db.Quests.AsNoTracking().Include(q => q.Reward).ToListAsync(ct)).Select(QuestResponse.From).ToDictionary(q => q.QuestId);
            var rewards = (await db.Rewards.AsNoTracking().ToListAsync(ct)).Select(RewardResponse.From).ToDictionary(r => r.RewardId);

            var oldQuests = (await db.QuestViews.AsNoTracking().Select(v => v.Document).ToListAsync(ct)).Select(CatalogProjection.ReadQuest).ToList();
            var oldRewards = (await db.RewardViews.AsNoTracking().Select(v => v.Document).ToListAsync(ct)).Select(CatalogProjection.ReadReward).ToList();
            var unchanged = Same(oldQuests, quests, q => q.QuestId) && Same(oldRewards, rewards, r => r.RewardId);

            await db.QuestViews.ExecuteDeleteAsync(ct);
            await db.RewardViews.ExecuteDeleteAsync(ct);
            db.QuestViews.AddRange(quests.Values.Select(CatalogProjection.ToView));
            db.RewardViews.AddRange(rewards.Values.Select(CatalogProjection.ToView));
            await db.SetCounterAsync(CatalogCounter.ReadModel, catalogVersion, ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return new RebuildResponse(quests.Count, rewards.Count, catalogVersion, unchanged);
        }, cancellationToken);

        if (rebuilt is not null)
        {
            await cache.InvalidateAsync();
            signal.Advance(rebuilt.CatalogVersion);
            logger.LogInformation(
                "Read model rebuilt at catalog version {Version}: {Quests} quests, {Rewards} rewards, unchanged {Unchanged}",
                rebuilt.CatalogVersion, rebuilt.Quests, rebuilt.Rewards, rebuilt.Unchanged);
        }

        return rebuilt;
    }

    // The same documents (records compare by value; QuestResponse compares its precondition list too) under the same ids.
    private static bool Same<T>(IReadOnlyCollection<T> old, Dictionary<Guid, T> rebuilt, Func<T, Guid> id) =>
        old.Count == rebuilt.Count && old.All(o => rebuilt.TryGetValue(id(o), out var r) && EqualityComparer<T>.Default.Equals(o, r));
}
