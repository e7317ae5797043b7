using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace QuestAspire.Processing.Worker.Infrastructure.EntityConfigurations;

public sealed class ProgressRebuildConfiguration : IEntityTypeConfiguration<ProgressRebuild>
{
    public void Configure(EntityTypeBuilder<ProgressRebuild> builder)
    {
        builder.ToTable("progress_rebuilds");
        builder.HasKey(r => r.RebuildId);
        builder.Property(r => r.RebuildId).HasColumnName("rebuild_id").ValueGeneratedNever();
        builder.Property(r => r.Status).HasColumnName("status").HasMaxLength(16);
        builder.Property(r => r.EventsApplied).HasColumnName("events_applied");
        builder.Property(r => r.EventsTotal).HasColumnName("events_total");
        builder.Property(r => r.Players).HasColumnName("players");
        builder.Property(r => r.RowsChanged).HasColumnName("rows_changed");
        builder.Property(r => r.StartedAt).HasColumnName("started_at");
        builder.Property(r => r.HeartbeatAt).HasColumnName("heartbeat_at");
        builder.Property(r => r.FinishedAt).HasColumnName("finished_at");
        builder.Property(r => r.Error).HasColumnName("error").HasMaxLength(2000);

        // At most one rebuild runs at a time, whichever replica started it.
        builder.HasIndex(r => r.Status).HasFilter("status = 'running'").IsUnique().HasDatabaseName("ux_progress_rebuilds_running");
    }
}
