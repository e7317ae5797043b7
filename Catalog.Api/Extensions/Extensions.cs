namespace QuestAspire.Catalog.Api.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<CatalogDbContext>(ResourceNames.CatalogDb);
        builder.AddRedisClient(ResourceNames.Redis);
    }
}
