namespace QuestAspire.AppHost.Infrastructure;

/// <summary>
/// Adds Postgres, RabbitMQ and Redis in the chosen <see cref="InfrastructureMode"/>. Both modes
/// give the same resource names and the same connection strings, so the services cannot tell them apart.
/// </summary>
public static class QuestInfrastructureExtensions
{
    public static IResourceBuilder<IResourceWithConnectionString> AddQuestPostgres(
        this IDistributedApplicationBuilder builder, string name, InfrastructureMode mode) =>
        mode == InfrastructureMode.Containers
            ? builder.AddPostgres(name)
            : builder.AddLocalPostgres(name, LocalState.FromConfiguration(builder.Configuration));

    public static IResourceBuilder<IResourceWithConnectionString> AddQuestDatabase(
        this IResourceBuilder<IResourceWithConnectionString> server, string name) =>
        server.Resource switch
        {
            PostgresServerResource container => server.ApplicationBuilder.CreateResourceBuilder(container).AddDatabase(name),
            LocalPostgresServerResource local => server.ApplicationBuilder.CreateResourceBuilder(local).AddDatabase(name),
            _ => throw new ArgumentException($"'{server.Resource.Name}' is not a Postgres server.", nameof(server)),
        };

    public static IResourceBuilder<IResourceWithConnectionString> AddQuestRabbitMQ(
        this IDistributedApplicationBuilder builder, string name, InfrastructureMode mode) =>
        mode == InfrastructureMode.Containers
            ? builder.AddRabbitMQ(name).WithManagementPlugin()
            : builder.AddLocalRabbitMQ(name, LocalState.FromConfiguration(builder.Configuration));

    public static IResourceBuilder<IResourceWithConnectionString> AddQuestRedis(
        this IDistributedApplicationBuilder builder, string name, InfrastructureMode mode) =>
        mode == InfrastructureMode.Containers
            ? builder.AddRedis(name)
            : builder.AddLocalRedis(name, LocalState.FromConfiguration(builder.Configuration));
}
