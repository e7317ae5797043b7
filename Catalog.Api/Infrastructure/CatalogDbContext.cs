using Microsoft.EntityFrameworkCore;
using QuestAspire.Data;

namespace QuestAspire.Catalog.Api.Infrastructure;

/// <summary>
/// The write side (quests, rewards), the append-only event store with its version counter, the
/// outbox, and the read model (views) that every query reads.
/// </summary>
public sealed class CatalogDbContext(DbContextOptions<CatalogDbContext> options) : DbContext(options), IOutboxDbContext
{
    /// <summary>The column that holds a quest's or reward's name key, unique per table.</summary>
    public const string NameKeyColumn = "normalized_name";

    /// <summary>The shadow property EF maps <see cref="NameKeyColumn"/> to.</summary>
    public const string NameKeyProperty = "NormalizedName";

    /// <summary>
    /// The case-insensitive key of a name, computed by Postgres for every row (a stored generated
    /// column), so rows written before the key existed and rows written now get it from the same
    /// function: NFKC, upper case by ICU's root locale, zero-width characters dropped (names have
    /// been refused with them since; older rows may hold them). The API refuses what this would
    /// change beyond case and width, so two names with one key are look-alikes: the unique index
    /// on it answers 409.
    /// </summary>
    public const string NameKeySql = """upper(normalize(regexp_replace(name, '[\u200B-\u200D\u2060\uFEFF]', '', 'g'), NFKC) COLLATE "und-x-icu")""";

    public DbSet<Quest> Quests => Set<Quest>();

    public DbSet<Reward> Rewards => Set<Reward>();

    public DbSet<CatalogEventRecord> CatalogEvents => Set<CatalogEventRecord>();

    public DbSet<CatalogCounter> CatalogState => Set<CatalogCounter>();

    public DbSet<QuestView> QuestViews => Set<QuestView>();

    public DbSet<RewardView> RewardViews => Set<RewardView>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    /// <summary>
    /// Locks a <c>catalog_state</c> row until the transaction ends and returns its version. Every
    /// catalog writer locks <see cref="CatalogCounter.Catalog"/> first, so writes (and the versions
    /// they take) commit one after the other, in version order.
    /// </summary>
    public async Task<long> LockCounterAsync(string name, CancellationToken cancellationToken) =>
        (await Database.SqlQuery<long>($"SELECT version AS \"Value\" FROM catalog_state WHERE name = {name} FOR UPDATE")
            .ToListAsync(cancellationToken)).Single();

    /// <summary>Adds <paramref name="count"/> to a counter and returns its new version.</summary>
    public async Task<long> AdvanceCounterAsync(string name, int count, CancellationToken cancellationToken) =>
        (await Database.SqlQuery<long>($"UPDATE catalog_state SET version = version + {count} WHERE name = {name} RETURNING version AS \"Value\"")
            .ToListAsync(cancellationToken)).Single();

    public async Task SetCounterAsync(string name, long version, CancellationToken cancellationToken) =>
        await Database.ExecuteSqlAsync($"UPDATE catalog_state SET version = {version} WHERE name = {name}", cancellationToken);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(CatalogDbContext).Assembly);
        modelBuilder.AddOutbox();
    }
}
