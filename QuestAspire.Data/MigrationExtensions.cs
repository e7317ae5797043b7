using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace QuestAspire.Data;

/// <summary>Seeds a database after its migrations have run. Seeding must be idempotent.</summary>
public interface IDbSeeder<in TContext>
    where TContext : DbContext
{
    Task SeedAsync(TContext context, CancellationToken cancellationToken);
}

public static class MigrationExtensions
{
    private static readonly ActivitySource ActivitySource = new(Extensions.TelemetryPrefix + "Migrations");

    /// <summary>
    /// Applies the context's migrations, then runs the seeder, before the service takes traffic
    /// (hosted services start before the web server). Replicas starting together take turns: see
    /// <see cref="MigrationLockKey"/>.
    /// </summary>
    public static IServiceCollection AddMigration<TContext, TSeeder>(this IServiceCollection services)
        where TContext : DbContext
        where TSeeder : class, IDbSeeder<TContext>
    {
        services.AddScoped<IDbSeeder<TContext>, TSeeder>();
        services.AddHostedService<MigrationHostedService<TContext>>();
        return services;
    }

    /// <summary>
    /// The Postgres advisory lock held (per session) while a replica migrates and seeds. EF Core's
    /// own lock on Npgsql is a table lock taken per migration transaction, while the list of
    /// applied migrations is read once before: two worker replicas on a fresh database both
    /// applied the same migration, and one crashed ("column … already exists"), so it never became
    /// healthy and everything that waits for it (the Web) never started.
    /// </summary>
    public const long MigrationLockKey = 0x5175_6573_744d_6967; // "QuestMig"

    private sealed class MigrationHostedService<TContext>(IServiceProvider services, ILogger<MigrationHostedService<TContext>> logger)
        : IHostedService
        where TContext : DbContext
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            using var activity = ActivitySource.StartActivity($"Migrate {typeof(TContext).Name}");
            await using var scope = services.CreateAsyncScope();
            var context = scope.ServiceProvider.GetRequiredService<TContext>();
            var strategy = context.Database.CreateExecutionStrategy();
            await strategy.ExecuteAsync(async ct =>
            {
                var locked = context.Database.ProviderName?.Contains("Npgsql", StringComparison.Ordinal) == true;
                await context.Database.OpenConnectionAsync(ct);
                try
                {
                    if (locked)
                    {
                        await context.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({MigrationLockKey})", ct);
                    }

                    await context.Database.MigrateAsync(ct);
                    await scope.ServiceProvider.GetRequiredService<IDbSeeder<TContext>>().SeedAsync(context, ct);
                }
                finally
                {
                    // Closing the connection returns it to the pool with the session lock held: unlock first.
                    if (locked)
                    {
                        await UnlockAsync(context);
                    }

                    await context.Database.CloseConnectionAsync();
                }
            }, cancellationToken);
            logger.LogInformation("Database of {DbContext} migrated and seeded", typeof(TContext).Name);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        // A broken connection has lost its session, and the lock with it: nothing to undo then.
        private async Task UnlockAsync(TContext context)
        {
            try
            {
                await context.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None);
            }
            catch (Exception e)
            {
                logger.LogDebug(e, "Releasing the migration lock of {DbContext} failed", typeof(TContext).Name);
            }
        }
    }
}
