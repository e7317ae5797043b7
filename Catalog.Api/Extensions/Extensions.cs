using QuestAspire.ServiceDefaults.Api;
using QuestAspire.ServiceDefaults.Data;
using QuestAspire.ServiceDefaults.Telemetry;

namespace QuestAspire.Catalog.Api.Extensions;

public static class Extensions
{
    /// <summary>
    /// Adds the API conventions, the catalog database (migrated and seeded at start), the Redis read cache and its
    /// telemetry.
    /// </summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddApiDefaults();
        builder.AddNpgsqlDbContext<CatalogDbContext>(ResourceNames.CatalogDb);
        builder.Services.AddMigration<CatalogDbContext, CatalogSeeder>();

        builder.AddRedisClient(ResourceNames.Redis);
        builder.Services.AddOptions<CatalogCacheOptions>()
            .BindConfiguration(CatalogCacheOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.AddServiceTelemetry(CatalogTelemetry.Service);
        builder.Services.AddSingleton<CatalogTelemetry>();
        builder.Services.AddSingleton<CatalogCache>();
    }
}
