using QuestAspire.ServiceDefaults.Data;

namespace QuestAspire.Catalog.Api.Extensions;

public static class Extensions
{
    /// <summary>
    /// Adds the catalog database (migrated and seeded at start), the Redis read cache, its
    /// telemetry, and problem details for requests that cannot be bound.
    /// </summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<CatalogDbContext>(ResourceNames.CatalogDb);
        builder.Services.AddMigration<CatalogDbContext, CatalogSeeder>();

        builder.AddRedisClient(ResourceNames.Redis);
        builder.Services.AddSingleton<CatalogTelemetry>();
        builder.Services.AddSingleton<CatalogCache>();

        // Binding failures throw in every environment so the handler below can say what was
        // wrong; otherwise they are a bare 400 outside Development.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
    }
}
