using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace QuestAspire.Catalog.Api.Infrastructure.EntityConfigurations;

public sealed class QuestViewConfiguration : IEntityTypeConfiguration<QuestView>
{
    public void Configure(EntityTypeBuilder<QuestView> builder)
    {
        builder.ToTable("quest_views");
        builder.HasKey(v => v.QuestId).HasName("pk_quest_views");
        builder.Property(v => v.QuestId).HasColumnName("quest_id").ValueGeneratedNever();
        builder.Property(v => v.Name).HasColumnName("name").HasMaxLength(CatalogRules.MaxNameLength);
        builder.Property(v => v.IsActive).HasColumnName("is_active");
        builder.Property(v => v.Version).HasColumnName("version");
        builder.Property(v => v.Document).HasColumnName("document").HasColumnType("jsonb");

        // Not unique: the write side owns that rule, and views may pass through a rename one event at a time.
        builder.HasIndex(v => v.Name).HasDatabaseName("ix_quest_views_name");
    }
}
