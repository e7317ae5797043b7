using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using QuestAspire.Auth.Api.Model;

namespace QuestAspire.Auth.Api.Infrastructure.EntityConfigurations;

internal sealed class LedgerEntryConfiguration : IEntityTypeConfiguration<LedgerEntry>
{
    public void Configure(EntityTypeBuilder<LedgerEntry> builder)
    {
        builder.ToTable("wallet_ledger");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasColumnName("entry_id").ValueGeneratedNever();
        builder.Property(e => e.Sequence).HasColumnName("seq").UseIdentityAlwaysColumn();
        builder.Property(e => e.UserId).HasColumnName("user_id");
        builder.HasOne<User>().WithMany().HasForeignKey(e => e.UserId).OnDelete(DeleteBehavior.Restrict);
        // A player's ledger, newest first, is read by the cursor.
        builder.HasIndex(e => new { e.UserId, e.Sequence }).IsDescending(false, true);
        builder.Property(e => e.Item).HasColumnName("item").HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.Amount).HasColumnName("amount");
        builder.Property(e => e.BalanceAfter).HasColumnName("balance_after");
        builder.Property(e => e.Source).HasColumnName("source").HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.ReferenceId).HasColumnName("reference_id");
        // A claim is credited once and a spend refunded once, whatever races: the database says so.
        builder.HasIndex(e => new { e.Source, e.ReferenceId }).IsUnique()
            .HasDatabaseName("ix_wallet_ledger_once")
            .HasFilter("source IN ('Claim', 'Refund')");
        builder.Property(e => e.QuestId).HasColumnName("quest_id");
        builder.Property(e => e.Reason).HasColumnName("reason").HasMaxLength(WalletRules.MaxReasonLength);
        builder.Property(e => e.ActorId).HasColumnName("actor_id");
        builder.Property(e => e.CreatedAt).HasColumnName("created_at");
        builder.ToTable(t => t.HasCheckConstraint("ck_wallet_ledger_amount", "amount <> 0 AND balance_after >= 0"));
    }
}
