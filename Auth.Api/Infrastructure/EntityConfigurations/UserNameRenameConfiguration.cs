using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using QuestAspire.Auth.Api.Model;

namespace QuestAspire.Auth.Api.Infrastructure.EntityConfigurations;

internal sealed class UserNameRenameConfiguration : IEntityTypeConfiguration<UserNameRename>
{
    public void Configure(EntityTypeBuilder<UserNameRename> builder)
    {
        builder.ToTable("user_name_renames");
        builder.HasKey(r => r.UserId);
        builder.Property(r => r.UserId).HasColumnName("user_id").ValueGeneratedNever();
        builder.Property(r => r.OldName).HasColumnName("old_name").HasMaxLength(200);
        builder.Property(r => r.NewName).HasColumnName("new_name").HasMaxLength(UserRules.MaxUserNameLength);
        builder.Property(r => r.RenamedAt).HasColumnName("renamed_at");
        builder.Property(r => r.Logged).HasColumnName("logged");
    }
}
