using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using QuestAspire.Auth.Api.Model;
using QuestAspire.ServiceDefaults.Quests;

namespace QuestAspire.Auth.Api.Infrastructure.EntityConfigurations;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.ToTable("users");
        builder.HasKey(u => u.Id);
        builder.Property(u => u.Id).HasColumnName("user_id").ValueGeneratedNever();
        builder.Property(u => u.UserName).HasColumnName("user_name").HasMaxLength(UserRules.MaxUserNameLength);
        builder.Property(u => u.NormalizedUserName).HasColumnName("normalized_user_name").HasMaxLength(UserRules.MaxUserNameLength);
        builder.HasIndex(u => u.NormalizedUserName).IsUnique();
        builder.Property(u => u.PasswordHash).HasColumnName("hashed_password").HasMaxLength(200);
        builder.Property(u => u.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(20);
        builder.Property(u => u.StatusBeforeBan).HasColumnName("status_before_ban").HasConversion<string>().HasMaxLength(20);
        builder.Property(u => u.SecurityStamp).HasColumnName("security_stamp").HasMaxLength(32);
        builder.Property(u => u.Role).HasColumnName("role").HasMaxLength(20);
        builder.Property(u => u.Gold).HasColumnName("gold");
        builder.Property(u => u.Diamond).HasColumnName("diamond");
        builder.Property(u => u.WalletVersion).HasColumnName("wallet_version");
        builder.Property(u => u.CreatedAt).HasColumnName("created_at");
        builder.Property(u => u.TimeZone).HasColumnName("time_zone").HasMaxLength(QuestSchedule.MaxZoneIdLength).HasDefaultValue(User.DefaultTimeZone);
        builder.Property(u => u.Version).HasColumnName("xmin").HasColumnType("xid").ValueGeneratedOnAddOrUpdate().IsConcurrencyToken();
    }
}
