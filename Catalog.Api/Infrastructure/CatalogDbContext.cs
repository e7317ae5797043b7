using Microsoft.EntityFrameworkCore;

namespace QuestAspire.Catalog.Api.Infrastructure;

public sealed class CatalogDbContext(DbContextOptions<CatalogDbContext> options) : DbContext(options)
{
}
