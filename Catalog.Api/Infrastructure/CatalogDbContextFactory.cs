using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace QuestAspire.Catalog.Api.Infrastructure;

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build the model without a running database or AppHost;
/// the connection string is never opened.
/// </summary>
public sealed class CatalogDbContextFactory : IDesignTimeDbContextFactory<CatalogDbContext>
{
    public CatalogDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<CatalogDbContext>()
            .UseNpgsql("Host=localhost;Database=catalogdb;Username=design-time")
            .Options);
}
