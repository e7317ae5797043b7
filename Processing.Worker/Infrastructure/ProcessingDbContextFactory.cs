using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace QuestAspire.Processing.Worker.Infrastructure;

/// <summary>
/// Lets <c>dotnet ef</c> build the model without starting the service. It never connects: the
/// connection string only picks the provider.
/// </summary>
public sealed class ProcessingDbContextFactory : IDesignTimeDbContextFactory<ProcessingDbContext>
{
    public ProcessingDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<ProcessingDbContext>()
            .UseNpgsql("Host=localhost;Database=processingdb;Username=design-time")
            .Options);
}
