using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace QuestAspire.Catalog.Api.Infrastructure.EntityConfigurations;

public sealed class CatalogCounterConfiguration : IEntityTypeConfiguration<CatalogCounter>
{
    public void Configure(EntityTypeBuilder<CatalogCounter> builder)
    {
        // Its rows (catalog, read_model) are inserted by the migration that creates it.
        builder.ToTable("catalog_state", table => table.HasCheckConstraint("ck_catalog_state_version", "version >= 0"));
        builder.HasKey(c => c.Name).HasName("pk_catalog_state");
        builder.Property(c => c.Name).HasColumnName("name").HasMaxLength(32);
        builder.Property(c => c.Version).HasColumnName("version");
    }
}
