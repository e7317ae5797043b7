using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using QuestAspire.Auth.Api.Model;

namespace QuestAspire.Auth.Api.Infrastructure.EntityConfigurations;

internal sealed class SignInThrottleConfiguration : IEntityTypeConfiguration<SignInThrottle>
{
    public void Configure(EntityTypeBuilder<SignInThrottle> builder)
    {
        builder.ToTable("sign_in_throttles");
        builder.HasKey(t => t.UserKey);
        // Any name can be tried, so the key is as long as a sign-in's user name may be.
        builder.Property(t => t.UserKey).HasColumnName("user_key").HasMaxLength(UserRules.MaxSignInNameLength);
        builder.Property(t => t.Failures).HasColumnName("failures");
        builder.Property(t => t.WindowStartedAt).HasColumnName("window_started_at");
        builder.Property(t => t.LockedUntil).HasColumnName("locked_until");
        builder.Property(t => t.Lockouts).HasColumnName("lockouts");
        builder.Property(t => t.LastLockedAt).HasColumnName("last_locked_at");
    }
}
