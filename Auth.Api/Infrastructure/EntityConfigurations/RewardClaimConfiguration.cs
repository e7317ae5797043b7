using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using QuestAspire.Auth.Api.Model;

namespace QuestAspire.Auth.Api.Infrastructure.EntityConfigurations;

internal sealed class RewardClaimConfiguration : IEntityTypeConfiguration<RewardClaim>
{
    public void Configure(EntityTypeBuilder<RewardClaim> builder)
    {
        builder.ToTable("reward_claims");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).HasColumnName("claim_id").ValueGeneratedNever();
        builder.Property(c => c.UserId).HasColumnName("user_id");
        builder.HasIndex(c => new { c.UserId, c.CreatedAt });
        builder.HasOne<User>().WithMany().HasForeignKey(c => c.UserId);
        // One claim per QuestCompleted event: the consumer's idempotency record.
        builder.Property(c => c.CompletionEventId).HasColumnName("completion_event_id");
        builder.HasIndex(c => c.CompletionEventId).IsUnique();
        builder.Property(c => c.QuestId).HasColumnName("quest_id");
        builder.Property(c => c.QuestName).HasColumnName("quest_name").HasMaxLength(100);
        builder.Property(c => c.RewardItem).HasColumnName("reward_item").HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.RewardQty).HasColumnName("reward_qty");
        builder.Property(c => c.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.CreatedAt).HasColumnName("created_at");
        builder.Property(c => c.ClaimedAt).HasColumnName("claimed_at");
    }
}
