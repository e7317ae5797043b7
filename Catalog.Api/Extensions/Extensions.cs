using QuestAspire.ServiceDefaults.Api;
using QuestAspire.Data;
using QuestAspire.EventBus;
using QuestAspire.ServiceDefaults.Telemetry;

namespace QuestAspire.Catalog.Api.Extensions;

public static class Extensions
{
    /// <summary>
    /// Adds the API conventions, the catalog database (migrated and seeded at start) with its
    /// write path, event store, outbox relay and read-model projector, the Redis read cache, and
    /// the telemetry.
    /// </summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddApiDefaults();
        builder.AddOpenApiDefaults();
        builder.AddServiceTelemetry(CatalogTelemetry.Service);
        builder.Services.AddSingleton<CatalogTelemetry>();
        builder.Services.AddSingleton(TimeProvider.System);

        builder.AddNpgsqlDbContext<CatalogDbContext>(ResourceNames.CatalogDb);
        builder.AddRabbitMQClient(ResourceNames.RabbitMQ);
        builder.AddTokenRevocationFeed();
        builder.Services.AddMigration<CatalogDbContext, CatalogSeeder>();

        builder.AddRedisClient(ResourceNames.Redis);
        builder.Services.AddOptions<CatalogCacheOptions>()
            .BindConfiguration(CatalogCacheOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<CatalogCache>();

        // Commands write events to the store and the outbox; the projector turns the store into
        // the read model, after the migration (a hosted service that starts first) has run.
        builder.Services.AddSingleton<CatalogProjectionSignal>();
        builder.Services.AddScoped<CatalogWriter>();
        builder.Services.AddScoped<CatalogReadModel>();
        builder.AddOutbox<CatalogDbContext>();
        builder.Services.AddHostedService<CatalogProjector>();
    }
}
