using Microsoft.EntityFrameworkCore;

namespace QuestAspire.Processing.Worker.Infrastructure;

public sealed class ProcessingDbContext(DbContextOptions<ProcessingDbContext> options) : DbContext(options), IOutboxDbContext
{
    public DbSet<LoggedEvent> Events => Set<LoggedEvent>();

    public DbSet<QuestProgress> QuestProgress => Set<QuestProgress>();

    public DbSet<PlayerZone> PlayerZones => Set<PlayerZone>();

    public DbSet<QuestVersion> QuestVersions => Set<QuestVersion>();

    public DbSet<ProgressRebuild> ProgressRebuilds => Set<ProgressRebuild>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ProcessingDbContext).Assembly);
        modelBuilder.AddOutbox();
        modelBuilder.AddIdempotencyKeys();
    }
}
