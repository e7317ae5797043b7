using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace QuestAspire.Processing.Worker.Infrastructure.EntityConfigurations;

public sealed class PlayerZoneConfiguration : IEntityTypeConfiguration<PlayerZone>
{
    public void Configure(EntityTypeBuilder<PlayerZone> builder)
    {
        builder.ToTable("player_zones");
        builder.HasKey(z => z.UserId);
        builder.Property(z => z.UserId).HasColumnName("user_id").ValueGeneratedNever();
        builder.Property(z => z.TimeZone).HasColumnName("time_zone").HasMaxLength(64);
        builder.Property(z => z.ChangedAt).HasColumnName("changed_at");
    }
}
