using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace QuestAspire.Catalog.Api.Infrastructure.EntityConfigurations;

public sealed class RewardConfiguration : IEntityTypeConfiguration<Reward>
{
    /// <summary>The unique index on the name key: a clash is a look-alike name (409).</summary>
    public const string NameKeyIndex = "ix_rewards_normalized_name";

    public void Configure(EntityTypeBuilder<Reward> builder)
    {
        // The database repeats the domain rules so that no other writer can break them.
        builder.ToTable("rewards", table =>
        {
            table.HasCheckConstraint("ck_rewards_qty", "qty >= 1");
            table.HasCheckConstraint("ck_rewards_item", "item IN ('gold', 'diamond')");
        });

        builder.HasKey(r => r.Id).HasName("pk_rewards");
        builder.Property(r => r.Id).HasColumnName("reward_id").ValueGeneratedNever();
        builder.Property(r => r.Name).HasColumnName("name").HasMaxLength(CatalogRules.MaxNameLength);
        builder.Property(r => r.Item).HasColumnName("item").HasMaxLength(16)
            .HasConversion(item => item == RewardItem.Gold ? "gold" : "diamond", value => value == "gold" ? RewardItem.Gold : RewardItem.Diamond);
        builder.Property(r => r.Qty).HasColumnName("qty");
        builder.Property(r => r.IsActive).HasColumnName("is_active");
        builder.Property(r => r.Version).HasColumnName("version");

        builder.HasIndex(r => r.Name).IsUnique().HasDatabaseName("ix_rewards_name");

        // A shadow property: only Postgres computes and reads it (see CatalogDbContext.NameKeySql).
        builder.Property<string>(CatalogDbContext.NameKeyProperty).HasColumnName(CatalogDbContext.NameKeyColumn)
            .HasComputedColumnSql(CatalogDbContext.NameKeySql, stored: true);
        builder.HasIndex(CatalogDbContext.NameKeyProperty).IsUnique().HasDatabaseName(NameKeyIndex);
    }
}
