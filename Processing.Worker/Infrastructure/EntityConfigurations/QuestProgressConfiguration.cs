using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace QuestAspire.Processing.Worker.Infrastructure.EntityConfigurations;

public sealed class QuestProgressConfiguration : IEntityTypeConfiguration<QuestProgress>
{
    public void Configure(EntityTypeBuilder<QuestProgress> builder)
    {
        builder.ToTable("quest_progress");
        builder.HasKey(p => new { p.UserId, p.QuestId });
        builder.Property(p => p.UserId).HasColumnName("user_id");
        builder.Property(p => p.QuestId).HasColumnName("quest_id");
        builder.Property(p => p.Progress).HasColumnName("progress");
        builder.Property(p => p.Completions).HasColumnName("completions");
        builder.Property(p => p.UpdatedAt).HasColumnName("updated_at");
    }
}
