using Microsoft.Extensions.DependencyInjection;

namespace QuestAspire.AppHost.Infrastructure;

/// <summary>A Redis server run from the locally installed <c>redis-server</c> package.</summary>
public sealed class LocalRedisResource(string name, string command, string dataDirectory, ParameterResource password)
    : ExecutableResource(name, command, dataDirectory), IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";

    public string DataDirectory { get; } = dataDirectory;

    public ParameterResource PasswordParameter { get; } = password;

    public EndpointReference PrimaryEndpoint => field ??= new(this, PrimaryEndpointName);

    // Same shape as the container integration's.
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"{PrimaryEndpoint.Property(EndpointProperty.HostAndPort)},password={PasswordParameter},ssl=false");
}

public static class LocalRedisExtensions
{
    /// <summary>Adds a Redis server on loopback with a password, its snapshots under the local state folder.</summary>
    public static IResourceBuilder<LocalRedisResource> AddLocalRedis(this IDistributedApplicationBuilder builder, string name, LocalState state)
    {
        var redisServer = LocalServerBinary.Find(state, "redis-server", "redis-server", "/usr/bin");
        var password = builder.AddParameter($"{name}-password", () => state.GetOrCreateSecret($"{name}-password"), secret: true);
        var directory = state.GetDirectory(name);
        var redis = new LocalRedisResource(name, redisServer, directory, password.Resource);
        var configPath = Path.Combine(directory, "redis.conf");

        // The password goes in a file the server reads, not on its command line.
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(redis, async (_, ct) =>
        {
            string[] config =
            [
                "bind 127.0.0.1",
                "protected-mode yes",
                "daemonize no",
                $"dir {directory}",
                $"requirepass {await redis.PasswordParameter.GetValueAsync(ct)}",
                "save 300 1",
            ];
            await File.WriteAllLinesAsync(configPath, config, ct);
            LocalState.RestrictToOwner(configPath);
        });

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddRedis(builder.CaptureConnectionString(redis), name: healthCheckKey);

        return builder.AddResource(redis)
            .WithLocalEndpoint(LocalRedisResource.PrimaryEndpointName)
            .WithArgs(configPath, "--port", redis.PrimaryEndpoint.Property(EndpointProperty.TargetPort))
            .WithHealthCheck(healthCheckKey);
    }
}
