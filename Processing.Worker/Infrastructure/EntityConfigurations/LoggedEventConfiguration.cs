using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace QuestAspire.Processing.Worker.Infrastructure.EntityConfigurations;

public sealed class LoggedEventConfiguration : IEntityTypeConfiguration<LoggedEvent>
{
    public void Configure(EntityTypeBuilder<LoggedEvent> builder)
    {
        builder.ToTable("events");
        // The key is the event id: storing an event twice fails, which makes redelivery harmless.
        builder.HasKey(e => e.EventId);
        builder.Property(e => e.EventId).HasColumnName("event_id").ValueGeneratedNever();
        builder.Property(e => e.EventType).HasColumnName("event_type").HasMaxLength(100);
        builder.Property(e => e.UserId).HasColumnName("user_id");
        builder.Property(e => e.OccurredAt).HasColumnName("occurred_at");
        builder.Property(e => e.RecordedAt).HasColumnName("recorded_at");
        builder.Property(e => e.Data).HasColumnName("data").HasColumnType("jsonb");
        builder.Property(e => e.CatalogVersion).HasColumnName("catalog_version").HasDefaultValue(0L);

        // A user's events, newest first: the read API's only query.
        builder.HasIndex(e => new { e.UserId, e.OccurredAt })
            .IsDescending(false, true)
            .HasDatabaseName("ix_events_user_id_occurred_at");
    }
}
