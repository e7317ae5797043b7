using Microsoft.EntityFrameworkCore;
using Npgsql;
using QuestAspire.ServiceDefaults.Data;

namespace QuestAspire.Catalog.Api.Infrastructure;

/// <summary>
/// The reference system's catalog: reward <c>signin_three</c> (10 diamond) and quest
/// <c>signin_three</c> (3 sign-ins, twice, claimed by hand). Matched by name, so an admin's
/// later edits survive a restart.
/// </summary>
public sealed class CatalogSeeder(CatalogCache cache, ILogger<CatalogSeeder> logger) : IDbSeeder<CatalogDbContext>
{
    public const string SignInThree = "signin_three";

    public async Task SeedAsync(CatalogDbContext context, CancellationToken cancellationToken)
    {
        var reward = await context.Rewards.SingleOrDefaultAsync(r => r.Name == SignInThree, cancellationToken);
        if (reward is null)
        {
            reward = Reward.Create(new RewardDefinition(SignInThree, RewardItem.Diamond, 10));
            context.Rewards.Add(reward);
        }

        if (!await context.Quests.AnyAsync(q => q.Name == SignInThree, cancellationToken))
        {
            context.Quests.Add(Quest.Create(
                new QuestDefinition(SignInThree, "Sign in 3 times", Streak: 3, Duplication: 2, AutoClaim: false, reward.Id),
                reward));
        }

        if (!context.ChangeTracker.HasChanges())
        {
            return;
        }

        try
        {
            await context.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Another replica starting at the same time seeded first: the data is there.
            logger.LogInformation("The catalog was seeded concurrently by another instance");
            return;
        }

        await cache.InvalidateAsync();
        logger.LogInformation("Seeded the catalog with {Name}", SignInThree);
    }
}
