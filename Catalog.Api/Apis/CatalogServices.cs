namespace QuestAspire.Catalog.Api.Apis;

/// <summary>What the catalog's handlers need, bound with <c>[AsParameters]</c>.</summary>
public sealed class CatalogServices(CatalogDbContext context, CatalogCache cache, ILogger<CatalogServices> logger)
{
    public CatalogDbContext Context { get; } = context;

    public CatalogCache Cache { get; } = cache;

    public ILogger<CatalogServices> Logger { get; } = logger;
}
