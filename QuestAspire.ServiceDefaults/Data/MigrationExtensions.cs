using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace QuestAspire.ServiceDefaults.Data;

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
    /// (hosted services start before the web server). EF Core takes a database lock while it
    /// migrates, so replicas starting together do not race.
    /// </summary>
    public static IServiceCollection AddMigration<TContext, TSeeder>(this IServiceCollection services)
        where TContext : DbContext
        where TSeeder : class, IDbSeeder<TContext>
    {
        services.AddScoped<IDbSeeder<TContext>, TSeeder>();
        services.AddHostedService<MigrationHostedService<TContext>>();
        return services;
    }

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
                await context.Database.MigrateAsync(ct);
                await scope.ServiceProvider.GetRequiredService<IDbSeeder<TContext>>().SeedAsync(context, ct);
            }, cancellationToken);
            logger.LogInformation("Database of {DbContext} migrated and seeded", typeof(TContext).Name);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
