using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace QuestAspire.AppHost.Infrastructure;

/// <summary>A PostgreSQL server run from the locally installed binaries.</summary>
public sealed class LocalPostgresServerResource(string name, string command, string dataDirectory, ParameterResource password)
    : ExecutableResource(name, command, dataDirectory), IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";
    internal const string UserName = "postgres";

    private readonly Dictionary<string, string> _databases = new(StringComparer.OrdinalIgnoreCase);

    public string DataDirectory { get; } = dataDirectory;

    public ParameterResource PasswordParameter { get; } = password;

    public EndpointReference PrimaryEndpoint => field ??= new(this, PrimaryEndpointName);

    public EndpointReferenceExpression Host => PrimaryEndpoint.Property(EndpointProperty.Host);

    public EndpointReferenceExpression Port => PrimaryEndpoint.Property(EndpointProperty.Port);

    /// <summary>Resource name to database name, as for <c>AddPostgres</c>.</summary>
    public IReadOnlyDictionary<string, string> Databases => _databases;

    // Same shape as the container integration's, so services cannot tell the modes apart.
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"Host={Host};Port={Port};Username={UserName};Password={PasswordParameter}");

    internal void AddDatabase(string resourceName, string databaseName) => _databases.TryAdd(resourceName, databaseName);
}

/// <summary>A database on a <see cref="LocalPostgresServerResource"/>.</summary>
public sealed class LocalPostgresDatabaseResource(string name, string databaseName, LocalPostgresServerResource parent)
    : Resource(name), IResourceWithParent<LocalPostgresServerResource>, IResourceWithConnectionString
{
    public LocalPostgresServerResource Parent { get; } = parent;

    public string DatabaseName { get; } = databaseName;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Parent};{new DbConnectionStringBuilder { ["Database"] = DatabaseName }.ConnectionString}");
}

public static class LocalPostgresExtensions
{
    // The AppHost's own connections must not linger in a pool: Postgres' smart shutdown waits
    // for every client to leave before it stops.
    private const string AppHostConnectionOptions = ";Pooling=false";

    /// <summary>
    /// Adds a PostgreSQL server run from the Debian <c>postgresql</c> package: <c>initdb</c> on
    /// first run, data under the local state folder, run as the <c>postgres</c> user when the
    /// AppHost runs as root (Postgres refuses root).
    /// </summary>
    public static IResourceBuilder<LocalPostgresServerResource> AddLocalPostgres(
        this IDistributedApplicationBuilder builder, string name, LocalState state)
    {
        string[] binaryDirectories = ["/usr/lib/postgresql/*/bin"];
        var postgres = LocalServerBinary.Find(state, "postgres", "postgresql", binaryDirectories);
        var initdb = LocalServerBinary.Find(state, "initdb", "postgresql", binaryDirectories);
        var runAsPostgres = LocalState.IsRoot;
        if (runAsPostgres)
        {
            LocalServerBinary.Find(state, "setpriv", "util-linux", "/usr/bin", "/bin");
        }

        var password = builder.AddParameter($"{name}-password", () => state.GetOrCreateSecret($"{name}-password"), secret: true);
        var dataDirectory = Path.Combine(state.GetDirectory(name), "data");
        var server = new LocalPostgresServerResource(name, runAsPostgres ? "setpriv" : postgres, dataDirectory, password.Resource);

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(server, async (@event, ct) =>
        {
            var logger = @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
            await InitializeClusterAsync(server, initdb, runAsPostgres, logger, ct);
        });

        var connectionString = builder.CaptureConnectionString(server, ";Database=postgres" + AppHostConnectionOptions);
        builder.Eventing.Subscribe<ResourceReadyEvent>(server, async (@event, ct) =>
            await CreateDatabasesAsync(server, connectionString(@event.Services), @event.Services, ct));

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddNpgSql(connectionString, name: healthCheckKey);

        return builder.AddResource(server)
            .WithLocalEndpoint(LocalPostgresServerResource.PrimaryEndpointName)
            .WithArgs(context =>
            {
                if (runAsPostgres)
                {
                    // setpriv execs postgres, so DCP's stop signal reaches the postmaster itself.
                    context.Args.Add("--reuid=postgres");
                    context.Args.Add("--regid=postgres");
                    context.Args.Add("--init-groups");
                    context.Args.Add("--");
                    context.Args.Add(postgres);
                }

                context.Args.Add("-D");
                context.Args.Add(dataDirectory);
                context.Args.Add("-p");
                context.Args.Add(server.PrimaryEndpoint.Property(EndpointProperty.TargetPort));
                context.Args.Add("-c");
                context.Args.Add("listen_addresses=127.0.0.1");
                // No Unix socket: the system's /var/run/postgresql may belong to another server.
                context.Args.Add("-c");
                context.Args.Add("unix_socket_directories=");
                context.Args.Add("-c");
                context.Args.Add("max_connections=200");
            })
            .WithHealthCheck(healthCheckKey);
    }

    /// <summary>Adds a database that is created on the local server once the server is ready.</summary>
    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<LocalPostgresServerResource> builder, string name, string? databaseName = null)
    {
        var database = new LocalPostgresDatabaseResource(name, databaseName ?? name, builder.Resource);
        builder.Resource.AddDatabase(database.Name, database.DatabaseName);

        var healthCheckKey = $"{name}_check";
        var connectionString = builder.ApplicationBuilder.CaptureConnectionString(database, AppHostConnectionOptions);
        builder.ApplicationBuilder.Services.AddHealthChecks().AddNpgSql(connectionString, name: healthCheckKey);

        // A child of an executable does not follow its parent's state the way a child of a
        // container does: it starts NotStarted and is moved to Running once it has been created.
        return builder.ApplicationBuilder.AddResource(database)
            .WithParentRelationship(builder)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgresDatabase",
                State = KnownResourceStates.NotStarted,
                Properties = [new(CustomResourceKnownProperties.Source, builder.Resource.Name)],
            })
            .WithHealthCheck(healthCheckKey);
    }

    private static async Task InitializeClusterAsync(
        LocalPostgresServerResource server, string initdb, bool runAsPostgres, Microsoft.Extensions.Logging.ILogger logger, CancellationToken ct)
    {
        if (File.Exists(Path.Combine(server.DataDirectory, "PG_VERSION")))
        {
            return;
        }

        Directory.CreateDirectory(server.DataDirectory);
        LocalState.RestrictToOwner(server.DataDirectory);

        var passwordFile = Path.Combine(Path.GetDirectoryName(server.DataDirectory)!, "initdb-password");
        await File.WriteAllTextAsync(passwordFile, await server.PasswordParameter.GetValueAsync(ct), ct);
        LocalState.RestrictToOwner(passwordFile);
        try
        {
            List<string> initdbArgs =
            [
                "-D", server.DataDirectory, "-U", LocalPostgresServerResource.UserName, "--pwfile", passwordFile,
                "--auth-host=scram-sha-256", "--auth-local=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions",
            ];

            if (runAsPostgres)
            {
                await logger.RunToCompletionAsync("chown", ["-R", "postgres:postgres", server.DataDirectory, passwordFile], ct);
                await logger.RunToCompletionAsync("setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", initdb, .. initdbArgs], ct);
            }
            else
            {
                await logger.RunToCompletionAsync(initdb, initdbArgs, ct);
            }
        }
        catch
        {
            // A half-initialised cluster would make every later start fail: start over next time.
            Directory.Delete(server.DataDirectory, recursive: true);
            throw;
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    private static async Task CreateDatabasesAsync(
        LocalPostgresServerResource server, string connectionString, IServiceProvider services, CancellationToken ct)
    {
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        var model = services.GetRequiredService<DistributedApplicationModel>();

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);

        foreach (var database in model.Resources.OfType<LocalPostgresDatabaseResource>().Where(d => d.Parent == server))
        {
            await using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection))
            {
                exists.Parameters.AddWithValue("name", database.DatabaseName);
                if (await exists.ExecuteScalarAsync(ct) is null)
                {
                    var quoted = "\"" + database.DatabaseName.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
                    await using var create = new NpgsqlCommand($"CREATE DATABASE {quoted}", connection);
                    await create.ExecuteNonQueryAsync(ct);
                }
            }

            await notifications.PublishUpdateAsync(database, snapshot => snapshot with
            {
                State = KnownResourceStates.Running,
                StartTimeStamp = DateTime.UtcNow,
            });
        }
    }
}
