namespace QuestAspire.Catalog.Api.Apis;

/// <summary>What the catalog's handlers need, bound with <c>[AsParameters]</c>.</summary>
public sealed class CatalogServices(
    CatalogDbContext context, CatalogWriter writer, CatalogReadModel readModel, CatalogCache cache, ILogger<CatalogServices> logger)
{
    public CatalogDbContext Context { get; } = context;

    /// <summary>The write path: every command goes through it.</summary>
    public CatalogWriter Writer { get; } = writer;

    public CatalogReadModel ReadModel { get; } = readModel;

    public CatalogCache Cache { get; } = cache;

    public ILogger<CatalogServices> Logger { get; } = logger;
}
