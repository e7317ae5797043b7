using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace QuestAspire.Processing.Worker.Infrastructure.EntityConfigurations;

public sealed class QuestVersionConfiguration : IEntityTypeConfiguration<QuestVersion>
{
    public void Configure(EntityTypeBuilder<QuestVersion> builder)
    {
        builder.ToTable("quest_versions");
        builder.HasKey(v => new { v.QuestId, v.Version });
        builder.Property(v => v.QuestId).HasColumnName("quest_id");
        builder.Property(v => v.Version).HasColumnName("version");
        builder.Property(v => v.Definition).HasColumnName("definition").HasColumnType("jsonb");
        builder.Property(v => v.RecordedAt).HasColumnName("recorded_at");
    }
}
