using Microsoft.EntityFrameworkCore;
using QuestAspire.Processing.Worker.Infrastructure.EntityConfigurations;
using QuestAspire.ServiceDefaults.Data;

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
        modelBuilder.ApplyConfiguration(new LoggedEventConfiguration());
        modelBuilder.ApplyConfiguration(new QuestProgressConfiguration());
        modelBuilder.ApplyConfiguration(new PlayerZoneConfiguration());
        modelBuilder.ApplyConfiguration(new QuestVersionConfiguration());
        modelBuilder.ApplyConfiguration(new ProgressRebuildConfiguration());
        modelBuilder.AddOutbox();
        modelBuilder.AddIdempotencyKeys();
    }
}
