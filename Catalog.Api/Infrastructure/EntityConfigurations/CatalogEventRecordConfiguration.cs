using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace QuestAspire.Catalog.Api.Infrastructure.EntityConfigurations;

public sealed class CatalogEventRecordConfiguration : IEntityTypeConfiguration<CatalogEventRecord>
{
    public void Configure(EntityTypeBuilder<CatalogEventRecord> builder)
    {
        builder.ToTable("catalog_events");
        builder.HasKey(e => e.Version).HasName("pk_catalog_events");
        builder.Property(e => e.Version).HasColumnName("version").ValueGeneratedNever();
        builder.Property(e => e.EventId).HasColumnName("event_id");
        builder.Property(e => e.EventType).HasColumnName("event_type").HasMaxLength(100);
        builder.Property(e => e.UserId).HasColumnName("user_id");
        builder.Property(e => e.Data).HasColumnName("data").HasColumnType("jsonb");
        builder.Property(e => e.OccurredAt).HasColumnName("occurred_at");
        builder.HasIndex(e => e.EventId).IsUnique().HasDatabaseName("ix_catalog_events_event_id");
    }
}
