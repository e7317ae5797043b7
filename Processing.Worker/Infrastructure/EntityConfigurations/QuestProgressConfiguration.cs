using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace QuestAspire.Processing.Worker.Infrastructure.EntityConfigurations;

public sealed class QuestProgressConfiguration : IEntityTypeConfiguration<QuestProgress>
{
    public void Configure(EntityTypeBuilder<QuestProgress> builder)
    {
        builder.ToTable("quest_progress");
        // One row per period: a late event counts toward the period it happened in, and a quest that never resets has one.
        builder.HasKey(p => new { p.UserId, p.QuestId, p.PeriodStart });
        builder.Property(p => p.UserId).HasColumnName("user_id");
        builder.Property(p => p.QuestId).HasColumnName("quest_id");
        builder.Property(p => p.PeriodStart).HasColumnName("period_start");
        builder.Property(p => p.Progress).HasColumnName("progress");
        builder.Property(p => p.Completions).HasColumnName("completions");
        builder.Property(p => p.Days).HasColumnName("days");
        builder.Property(p => p.SpentThrough).HasColumnName("spent_through");
        builder.Property(p => p.FreezesUsed).HasColumnName("freezes_used");
        builder.Property(p => p.UpdatedAt).HasColumnName("updated_at");
    }
}
