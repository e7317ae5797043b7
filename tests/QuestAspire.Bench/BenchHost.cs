using Microsoft.Extensions.Logging;
using Npgsql;
using RabbitMQ.Client;

namespace QuestAspire.Bench;

/// <summary>
/// One AppHost run for the bench: local processes, a fresh state folder under /tmp, the dashboard
/// on (services send it their telemetry, as in a developer's run), Release builds of the services
/// (the bench and so the AppHost are built in Release). Stopping it checks no server is left.
/// </summary>
public sealed class BenchHost : IAsyncDisposable
{
    public const string SampledDescription = "parentbased_traceidratio 0.1 (10% head sampling)";
    public const string ShippedDescription = "as shipped (the AppHost sets OTEL_TRACES_SAMPLER=always_on: every trace recorded)";

    private BenchHost(DistributedApplication app, string stateDirectory, string sampling, NpgsqlDataSource authDb,
        NpgsqlDataSource processingDb, string postgresConnectionString, IConnection rabbit)
    {
        App = app;
        StateDirectory = stateDirectory;
        Sampling = sampling;
        AuthDb = authDb;
        ProcessingDb = processingDb;
        PostgresConnectionString = postgresConnectionString;
        PostgresServer = NpgsqlDataSource.Create(postgresConnectionString);
        Rabbit = rabbit;
    }

    public DistributedApplication App { get; }

    public string StateDirectory { get; }

    public string Sampling { get; }

    public NpgsqlDataSource AuthDb { get; }

    public NpgsqlDataSource ProcessingDb { get; }

    /// <summary>The server's maintenance database (as the superuser): where the raw limits make their scratch database.</summary>
    public NpgsqlDataSource PostgresServer { get; }

    /// <summary>With its password (a data source's own connection string leaves it out).</summary>
    public string PostgresConnectionString { get; }

    public IConnection Rabbit { get; }

    public Uri AuthUrl => App.GetEndpoint(ResourceNames.AuthApi, "http");

    public Uri CatalogUrl => App.GetEndpoint(ResourceNames.CatalogApi, "http");

    public static async Task<BenchHost> StartAsync(bool sampled, CancellationToken cancellationToken)
    {
        var stateDirectory = Directory.CreateDirectory(
            Path.Combine(Path.GetTempPath(), "questaspire-bench", Guid.NewGuid().ToString("N")[..12])).FullName;
        var dashboard = TestAppHost.DashboardEndpoints.OnFreePorts();
        var builder = await TestAppHost.CreateBuilderAsync(TestAppHost.LocalArgs(stateDirectory, dashboard.Args), cancellationToken, dashboard: true);
        // The resources' own logs go to the dashboard; the console keeps the bench's lines.
        builder.Services.AddLogging(logging => logging
            .AddFilter("QuestAspire.AppHost.Resources", LogLevel.None)
            .AddFilter("Aspire", LogLevel.Warning)
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddFilter("System.Net.Http", LogLevel.Warning));
        if (sampled)
        {
            // The OpenTelemetry SDK reads these; added after the AppHost's own OTEL_* variables, so they win.
            foreach (var project in builder.Resources.OfType<ProjectResource>().ToList())
            {
                builder.CreateResourceBuilder(project)
                    .WithEnvironment("OTEL_TRACES_SAMPLER", "parentbased_traceidratio")
                    .WithEnvironment("OTEL_TRACES_SAMPLER_ARG", "0.1");
            }
        }

        var app = await builder.BuildAsync(cancellationToken).WaitAsync(TestAppHost.StartTimeout, cancellationToken);
        try
        {
            await app.StartAsync(cancellationToken).WaitAsync(TestAppHost.StartTimeout, cancellationToken);
            await TestAppHost.WaitForAllHealthyAsync(app, cancellationToken);

            var rabbitConnectionString = await ConnectionStringAsync(app, ResourceNames.RabbitMQ, cancellationToken);
            var rabbit = await new ConnectionFactory { Uri = new Uri(rabbitConnectionString) }
                .CreateConnectionAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            return new BenchHost(app, stateDirectory, sampled ? SampledDescription : ShippedDescription,
                NpgsqlDataSource.Create(await ConnectionStringAsync(app, ResourceNames.AuthDb, cancellationToken)),
                NpgsqlDataSource.Create(await ConnectionStringAsync(app, ResourceNames.ProcessingDb, cancellationToken)),
                await ConnectionStringAsync(app, ResourceNames.Postgres, cancellationToken), rabbit);
        }
        catch
        {
            await StopAsync(app, stateDirectory);
            throw;
        }
    }

    /// <summary>The service processes' environment as started, to show the sampling setting really reached them.</summary>
    public static string SamplerSeenBy(string commandLinePart) =>
        ProcessCpu.EnvironmentOf(commandLinePart, "OTEL_TRACES_SAMPLER") is { } sampler
            ? $"{sampler} {ProcessCpu.EnvironmentOf(commandLinePart, "OTEL_TRACES_SAMPLER_ARG")}".Trim()
            : "not set (the SDK's default, parentbased_always_on)";

    public async ValueTask DisposeAsync()
    {
        await Rabbit.DisposeAsync();
        await AuthDb.DisposeAsync();
        await ProcessingDb.DisposeAsync();
        await PostgresServer.DisposeAsync();
        await StopAsync(App, StateDirectory);
    }

    private static async Task<string> ConnectionStringAsync(DistributedApplication app, string resource, CancellationToken cancellationToken) =>
        await app.GetConnectionStringAsync(resource, cancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(30), cancellationToken)
            ?? throw new InvalidOperationException($"{resource} has no connection string.");

    private static async Task StopAsync(DistributedApplication app, string stateDirectory)
    {
        var started = ProcessCpu.ProcessesOfThisRun();
        await app.StopAsync().WaitAsync(TestAppHost.StopTimeout);
        await app.DisposeAsync();
        // None of the processes the run started may outlive it, nor any server in the state folder.
        await Poll.UntilAsync("the AppHost's processes to exit",
            _ => Task.FromResult(string.Join("; ", [
                .. TestAppHost.ProcessesRunningIn(stateDirectory),
                .. started.Where(p => ProcessCpu.IsRunning(p.Key)).Select(p => $"{p.Key}: {p.Value}")])),
            left => left.Length == 0, TimeSpan.FromSeconds(30), CancellationToken.None);
        TestAppHost.DeleteStateDirectory(stateDirectory);
    }
}
