using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace QuestAspire.Catalog.Api.Infrastructure.EntityConfigurations;

public sealed class QuestConfiguration : IEntityTypeConfiguration<Quest>
{
    /// <summary>The unique index on the name key: a clash is a look-alike name (409).</summary>
    public const string NameKeyIndex = "ix_quests_normalized_name";

    public void Configure(EntityTypeBuilder<Quest> builder)
    {
        builder.ToTable("quests", table =>
        {
            table.HasCheckConstraint("ck_quests_streak", "streak >= 1");
            table.HasCheckConstraint("ck_quests_duplication", "duplication >= 1");
        });

        builder.HasKey(q => q.Id).HasName("pk_quests");
        builder.Property(q => q.Id).HasColumnName("quest_id").ValueGeneratedNever();
        builder.Property(q => q.Name).HasColumnName("name").HasMaxLength(CatalogRules.MaxNameLength);
        builder.Property(q => q.Description).HasColumnName("description").HasMaxLength(CatalogRules.MaxDescriptionLength);
        builder.Property(q => q.Streak).HasColumnName("streak");
        builder.Property(q => q.Duplication).HasColumnName("duplication");
        builder.Property(q => q.AutoClaim).HasColumnName("auto_claim");
        builder.Property(q => q.IsActive).HasColumnName("is_active");
        builder.Property(q => q.Version).HasColumnName("version");
        builder.Property(q => q.RewardId).HasColumnName("reward_id");
        builder.Property(q => q.EventType).HasColumnName("event_type").HasMaxLength(CatalogRules.MaxEventTypeLength);
        builder.Property(q => q.Kind).HasColumnName("kind").HasMaxLength(20);
        builder.Property(q => q.Freezes).HasColumnName("freezes");
        builder.Property(q => q.Reset).HasColumnName("reset").HasMaxLength(100);
        builder.Property(q => q.StartsAt).HasColumnName("starts_at");
        builder.Property(q => q.EndsAt).HasColumnName("ends_at");
        builder.Property(q => q.PreconditionIds).HasColumnName("precondition_ids");
        builder.Property(q => q.ValueMode).HasColumnName("value_mode").HasMaxLength(10);

        // A reward that quests pay cannot be deleted, only deactivated.
        builder.HasOne(q => q.Reward).WithMany().HasForeignKey(q => q.RewardId)
            .HasConstraintName("fk_quests_rewards_reward_id").OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(q => q.RewardId).HasDatabaseName("ix_quests_reward_id");

        builder.HasIndex(q => q.Name).IsUnique().HasDatabaseName("ix_quests_name");

        // A shadow property: only Postgres computes and reads it (see CatalogDbContext.NameKeySql).
        builder.Property<string>(CatalogDbContext.NameKeyProperty).HasColumnName(CatalogDbContext.NameKeyColumn)
            .HasComputedColumnSql(CatalogDbContext.NameKeySql, stored: true);
        builder.HasIndex(CatalogDbContext.NameKeyProperty).IsUnique().HasDatabaseName(NameKeyIndex);
    }
}
