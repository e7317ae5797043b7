using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RabbitMQ.Client;

namespace QuestAspire.AppHost.Infrastructure;

/// <summary>A RabbitMQ node run from the locally installed <c>rabbitmq-server</c> package.</summary>
public sealed class LocalRabbitMQServerResource(string name, string command, string stateDirectory, ParameterResource userName, ParameterResource password)
    : ExecutableResource(name, command, stateDirectory), IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";
    internal const string ManagementEndpointName = "management";
    internal const string DistributionEndpointName = "dist";

    public string StateDirectory { get; } = stateDirectory;

    public ParameterResource UserNameParameter { get; } = userName;

    public ParameterResource PasswordParameter { get; } = password;

    public EndpointReference PrimaryEndpoint => field ??= new(this, PrimaryEndpointName);

    // Same shape as the container integration's.
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"amqp://{UserNameParameter}:{PasswordParameter}@{PrimaryEndpoint.Property(EndpointProperty.Host)}:{PrimaryEndpoint.Property(EndpointProperty.Port)}");
}

/// <summary>
/// The Erlang port mapper the node registers with. It runs in the foreground as its own resource
/// so that DCP stops it with the node; started by the node itself it would outlive the AppHost.
/// </summary>
/// <remarks>
/// It is not a child resource: the node waits for it, and a wait on a child waits for its parent too.
/// </remarks>
public sealed class LocalEpmdResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory)
{
    internal const string PrimaryEndpointName = "tcp";

    public EndpointReference PrimaryEndpoint => field ??= new(this, PrimaryEndpointName);
}

public static class LocalRabbitMQExtensions
{
    /// <summary>
    /// Adds a RabbitMQ node with the management plugin, its own node name, ports, Erlang cookie and
    /// data under the local state folder, and an <c>epmd</c> of its own.
    /// </summary>
    public static IResourceBuilder<LocalRabbitMQServerResource> AddLocalRabbitMQ(
        this IDistributedApplicationBuilder builder, string name, LocalState state)
    {
        // The script in /usr/lib runs the broker in the foreground; /usr/sbin's wrapper switches user.
        var server = LocalServerBinary.Find(state, "rabbitmq-server", "rabbitmq-server", "/usr/lib/rabbitmq/bin");
        var epmd = LocalServerBinary.Find(state, "epmd", "erlang-base", "/usr/bin", "/usr/lib/erlang/bin");

        var userName = builder.AddParameter($"{name}-username", "questaspire");
        var password = builder.AddParameter($"{name}-password", () => state.GetOrCreateSecret($"{name}-password"), secret: true);
        var directory = state.GetDirectory(name);
        var rabbit = new LocalRabbitMQServerResource(name, server, directory, userName.Resource, password.Resource);

        var epmdServer = new LocalEpmdResource($"{name}-epmd", epmd, directory);
        var epmdPort = epmdServer.PrimaryEndpoint.Property(EndpointProperty.TargetPort);
        var epmdHealthCheckKey = $"{epmdServer.Name}_check";
        builder.Services.AddHealthChecks().AddAsyncCheck(epmdHealthCheckKey, async ct =>
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, int.Parse(await epmdPort.GetValueAsync(ct) ?? "0", CultureInfo.InvariantCulture), ct);
            return HealthCheckResult.Healthy();
        });
        var epmdResource = builder.AddResource(epmdServer)
            .WithLocalEndpoint(LocalEpmdResource.PrimaryEndpointName)
            .WithArgs("-address", "127.0.0.1", "-port", epmdPort)
            .WithHealthCheck(epmdHealthCheckKey);

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(rabbit, async (_, ct) =>
            await WriteConfigurationAsync(rabbit, ct));

        var connectionString = builder.CaptureConnectionString(rabbit);
        IConnection? healthConnection = null;
        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddRabbitMQ(
            async sp => healthConnection ??= await new ConnectionFactory { Uri = new Uri(connectionString(sp)) }.CreateConnectionAsync(),
            name: healthCheckKey);

        var management = rabbit.GetEndpoint(LocalRabbitMQServerResource.ManagementEndpointName);
        var distribution = rabbit.GetEndpoint(LocalRabbitMQServerResource.DistributionEndpointName);
        return builder.AddResource(rabbit)
            .WithLocalEndpoint(LocalRabbitMQServerResource.PrimaryEndpointName)
            .WithLocalEndpoint(LocalRabbitMQServerResource.ManagementEndpointName, scheme: "http")
            .WithLocalEndpoint(LocalRabbitMQServerResource.DistributionEndpointName)
            .WithEnvironment(context =>
            {
                var env = context.EnvironmentVariables;
                env["HOME"] = directory; // the Erlang cookie lives here
                env["RUNNING_UNDER_SYSTEMD"] = "true"; // exec the VM, so stop signals reach it directly
                env["RABBITMQ_NODENAME"] = $"{name}@localhost";
                env["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1";
                env["RABBITMQ_NODE_PORT"] = rabbit.PrimaryEndpoint.Property(EndpointProperty.TargetPort);
                env["RABBITMQ_DIST_PORT"] = distribution.Property(EndpointProperty.TargetPort);
                env["ERL_EPMD_ADDRESS"] = "127.0.0.1";
                env["ERL_EPMD_PORT"] = epmdPort;
                env["RABBITMQ_CONFIG_FILE"] = Path.Combine(directory, "rabbitmq.conf");
                env["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(directory, "enabled_plugins");
                env["RABBITMQ_MNESIA_BASE"] = Path.Combine(directory, "mnesia");
                env["RABBITMQ_LOG_BASE"] = Path.Combine(directory, "log");
                env["RABBITMQ_PLUGINS_EXPAND_DIR"] = Path.Combine(directory, "plugins-expand");
                env["RABBITMQ_LOGS"] = "-"; // to stdout, so the dashboard shows it
                // Every listener on loopback: the management UI, and the Erlang distribution port,
                // which otherwise listens on every interface (RABBITMQ_DIST_PORT only sets its port).
                env["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = ReferenceExpression.Create(
                    $"-rabbitmq_management tcp_config [{{ip,\"127.0.0.1\"}},{{port,{management.Property(EndpointProperty.TargetPort)}}}] -kernel inet_dist_use_interface {{127,0,0,1}}");
            })
            .WaitFor(epmdResource)
            .WithHealthCheck(healthCheckKey);
    }

    private static async Task WriteConfigurationAsync(LocalRabbitMQServerResource rabbit, CancellationToken ct)
    {
        // default_user only takes effect when the node's database is first created; the password
        // is kept in the state folder, so it stays the same across runs.
        var userName = await rabbit.UserNameParameter.GetValueAsync(ct);
        var password = await rabbit.PasswordParameter.GetValueAsync(ct);
        string[] config =
        [
            "loopback_users = none",
            $"default_user = {userName}",
            $"default_pass = {password}",
            "default_user_tags.administrator = true",
            "log.console = true",
            "log.file = false",
        ];
        var configPath = Path.Combine(rabbit.StateDirectory, "rabbitmq.conf");
        await File.WriteAllLinesAsync(configPath, config, ct);
        LocalState.RestrictToOwner(configPath);
        await File.WriteAllTextAsync(Path.Combine(rabbit.StateDirectory, "enabled_plugins"), "[rabbitmq_management].\n", ct);
    }
}
