using Microsoft.EntityFrameworkCore;
using QuestAspire.Auth.Api.Model;
using QuestAspire.ServiceDefaults.Data;
using QuestAspire.ServiceDefaults.Messaging;

namespace QuestAspire.Auth.Api.Infrastructure;

public sealed class AuthDbContext(DbContextOptions<AuthDbContext> options) : DbContext(options), IOutboxDbContext
{
    public DbSet<User> Users => Set<User>();

    public DbSet<RewardClaim> RewardClaims => Set<RewardClaim>();

    public DbSet<SignInThrottle> SignInThrottles => Set<SignInThrottle>();

    public DbSet<UserNameRename> UserNameRenames => Set<UserNameRename>();

    public DbSet<LedgerEntry> Ledger => Set<LedgerEntry>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AuthDbContext).Assembly);
        modelBuilder.AddOutbox();
        modelBuilder.AddIdempotencyKeys();
    }
}
