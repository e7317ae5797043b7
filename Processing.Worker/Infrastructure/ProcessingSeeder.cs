namespace QuestAspire.Processing.Worker.Infrastructure;

/// <summary>
/// The processing database has no seed data: the event log and quest progress are built from
/// events, and quests live in the catalog. The seeder exists because migrations run through
/// <see cref="MigrationExtensions.AddMigration{TContext, TSeeder}"/>.
/// </summary>
public sealed class ProcessingSeeder : IDbSeeder<ProcessingDbContext>
{
    public Task SeedAsync(ProcessingDbContext context, CancellationToken cancellationToken) => Task.CompletedTask;
}
