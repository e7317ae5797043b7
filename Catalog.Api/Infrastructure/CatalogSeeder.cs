using Microsoft.EntityFrameworkCore;
using QuestAspire.ServiceDefaults.Data;

namespace QuestAspire.Catalog.Api.Infrastructure;

/// <summary>
/// The reference system's catalog: reward <c>signin_three</c> (10 diamond) and quest
/// <c>signin_three</c> (3 sign-ins, twice, claimed by hand). Matched by name, so an admin's
/// later edits survive a restart. Written like any command (events, outbox), by the system
/// actor; the writer's lock makes replicas starting together seed once.
/// </summary>
public sealed class CatalogSeeder(CatalogWriter writer, ILogger<CatalogSeeder> logger) : IDbSeeder<CatalogDbContext>
{
    public const string SignInThree = "signin_three";

    public async Task SeedAsync(CatalogDbContext context, CancellationToken cancellationToken)
    {
        // The projector starts after the seeder: waiting for the read model here would only time out.
        var outcome = await writer.ExecuteAsync<object>(CatalogEvents.SystemActor, async (db, ct) =>
        {
            var reward = await db.Rewards.SingleOrDefaultAsync(r => r.Name == SignInThree, ct);
            if (reward is null)
            {
                reward = Reward.Create(new RewardDefinition(SignInThree, RewardItem.Diamond, 10));
                db.Rewards.Add(reward);
            }

            if (!await db.Quests.AnyAsync(q => q.Name == SignInThree, ct))
            {
                db.Quests.Add(Quest.Create(
                    new QuestDefinition(SignInThree, "Sign in 3 times", Streak: 3, Duplication: 2, AutoClaim: false, reward.Id),
                    reward));
            }

            return null;
        }, cancellationToken, waitForReadModel: false);

        if (outcome.Version > 0)
        {
            logger.LogInformation("Seeded the catalog with {Name} (catalog version {Version})", SignInThree, outcome.Version);
        }
    }
}
