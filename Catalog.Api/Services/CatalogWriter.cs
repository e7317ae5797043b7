using Microsoft.EntityFrameworkCore;
using QuestAspire.Data;

namespace QuestAspire.Catalog.Api.Services;

/// <summary>What a catalog command ended in: refused with <see cref="Rejected"/>, or written at <see cref="Version"/> (0: nothing changed).</summary>
public readonly record struct CommandOutcome<TRejection>(TRejection? Rejected, long Version)
    where TRejection : class;

/// <summary>
/// The one write path of the catalog (API commands and the seeder). A command runs in a
/// transaction that first locks the catalog version counter, so commands run one at a time and
/// check their rules against data no other writer can change under them. Whatever quests and
/// rewards the command added or modified become events (one version each; a reward's quests
/// too), appended to the event store and the outbox in the same transaction.
/// </summary>
public sealed class CatalogWriter(
    CatalogDbContext db,
    OutboxSignal outboxSignal,
    CatalogProjectionSignal projection,
    TimeProvider time,
    ILogger<CatalogWriter> logger)
{
    /// <summary>How long a command waits for the read model to show its change before answering anyway.</summary>
    public static readonly TimeSpan ReadYourWritesTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Runs <paramref name="command"/>, which loads what it needs from the context it is given,
    /// checks the rules and changes entities, returning a rejection or null. It may run more than
    /// once (EF's retrying strategy), each time on a cleared context. Unless told not to, waits
    /// (bounded) until the read model has reached the written version, so a read right after sees it.
    /// </summary>
    public async Task<CommandOutcome<TRejection>> ExecuteAsync<TRejection>(
        Guid actor,
        Func<CatalogDbContext, CancellationToken, Task<TRejection?>> command,
        CancellationToken cancellationToken,
        bool waitForReadModel = true)
        where TRejection : class
    {
        var outcome = await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.LockCounterAsync(CatalogCounter.Catalog, ct);

            var rejected = await command(db, ct);
            if (rejected is not null)
            {
                return new CommandOutcome<TRejection>(rejected, 0); // rolled back: nothing was written
            }

            var version = await AppendEventsAsync(actor, ct);
            if (version > 0)
            {
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
            }

            return new CommandOutcome<TRejection>(null, version);
        }, cancellationToken);

        if (outcome.Version > 0)
        {
            outboxSignal.Notify();
            projection.Notify();
            if (waitForReadModel && !await projection.WaitForVersionAsync(outcome.Version, ReadYourWritesTimeout, cancellationToken))
            {
                logger.LogWarning("The read model did not reach catalog version {Version} within {Timeout}; answering anyway", outcome.Version, ReadYourWritesTimeout);
            }
        }

        return outcome;
    }

    // Returns the last version written, or 0 when the command changed nothing.
    private async Task<long> AppendEventsAsync(Guid actor, CancellationToken cancellationToken)
    {
        db.ChangeTracker.DetectChanges();
        var rewards = Changed<Reward>().OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        var quests = Changed<Quest>().ToList();
        if (rewards.Count == 0 && quests.Count == 0)
        {
            return 0;
        }

        if (rewards.Count > 0)
        {
            // Tracked instances win over what the query reads, so these quests see the changed rewards.
            var rewardIds = rewards.Select(r => r.Id).ToList();
            await db.Quests.Include(q => q.Reward).Where(q => rewardIds.Contains(q.RewardId)).LoadAsync(cancellationToken);
        }

        var affected = CatalogEvents.AffectedQuests(rewards, quests, db.ChangeTracker.Entries<Quest>().Select(e => e.Entity));
        var last = await db.AdvanceCounterAsync(CatalogCounter.Catalog, rewards.Count + affected.Count, cancellationToken);
        var now = time.GetUtcNow();
        foreach (var (version, integrationEvent) in CatalogEvents.Stamp(rewards, affected, last - rewards.Count - affected.Count + 1, actor, now))
        {
            db.CatalogEvents.Add(CatalogEventRecord.From(version, integrationEvent));
            db.OutboxMessages.Add(OutboxMessage.Create(integrationEvent, now));
            logger.LogInformation("{EventType} {EventId} at catalog version {Version}", integrationEvent.EventType, integrationEvent.EventId, version);
        }

        return last;
    }

    private IEnumerable<T> Changed<T>()
        where T : class =>
        db.ChangeTracker.Entries<T>().Where(e => e.State is EntityState.Added or EntityState.Modified).Select(e => e.Entity);
}
