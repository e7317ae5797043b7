using Microsoft.EntityFrameworkCore;
using QuestAspire.Data;

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
        // Look-alike names the NameKeys migration renamed: logged here once, where they are seen.
        var renames = await context.Database.SqlQuery<CatalogRename>($"""
            UPDATE catalog_renames SET logged = true WHERE NOT logged
            RETURNING kind AS "Kind", entity_id AS "EntityId", old_name AS "OldName", new_name AS "NewName"
            """).ToListAsync(cancellationToken);
        foreach (var rename in renames)
        {
            logger.LogWarning(
                "The {Kind} {Id} was renamed from '{OldName}' to '{NewName}': its name was a look-alike (case, width or invisible characters) of an older one",
                rename.Kind, rename.EntityId, rename.OldName, rename.NewName);
        }

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

/// <summary>A row of <c>catalog_renames</c>, written by the migration that added the name keys.</summary>
public sealed record CatalogRename(string Kind, Guid EntityId, string OldName, string NewName);
