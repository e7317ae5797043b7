using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace QuestAspire.Catalog.Api.Infrastructure.EntityConfigurations;

public sealed class RewardViewConfiguration : IEntityTypeConfiguration<RewardView>
{
    public void Configure(EntityTypeBuilder<RewardView> builder)
    {
        builder.ToTable("reward_views");
        builder.HasKey(v => v.RewardId).HasName("pk_reward_views");
        builder.Property(v => v.RewardId).HasColumnName("reward_id").ValueGeneratedNever();
        builder.Property(v => v.Name).HasColumnName("name").HasMaxLength(CatalogRules.MaxNameLength);
        builder.Property(v => v.IsActive).HasColumnName("is_active");
        builder.Property(v => v.Version).HasColumnName("version");
        builder.Property(v => v.Document).HasColumnName("document").HasColumnType("jsonb");
    }
}
