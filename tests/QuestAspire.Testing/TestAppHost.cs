using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using QuestAspire.AppHost.Infrastructure;

namespace QuestAspire.Testing;

/// <summary>Starts the real AppHost in local-processes mode with a state folder of its own.</summary>
public static class TestAppHost
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    public static readonly TimeSpan StopTimeout = TimeSpan.FromMinutes(1);
    public const string AdminPassword = "test-admin-password-1";

    /// <summary>The key apps report any player's events with (<c>X-Service-Key</c>).</summary>
    public const string EventsServiceKey = "test-events-service-key-0123456789";

    /// <summary>The first lockout of an account in test runs (the shipped default is a minute).</summary>
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromSeconds(3);

    /// <summary>Valid sign-ups per client address and minute in test runs (the shipped default is 10).</summary>
    public const int SignUpsPerMinute = 30;

    /// <summary>A fresh state folder under /tmp, which the postgres user can traverse.</summary>
    public static string NewStateDirectory() =>
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "questaspire-tests", Guid.NewGuid().ToString("N")[..12])).FullName;

    public static string[] LocalArgs(string stateDirectory, params string[] extra) =>
    [
        $"--{InfrastructureModeExtensions.ConfigurationKey}={InfrastructureMode.LocalProcesses}",
        $"--{LocalState.StateDirectoryKey}={stateDirectory}",
        $"--Parameters:{ResourceNames.AdminPassword}={AdminPassword}",
        $"--Parameters:{ResourceNames.EventsServiceKey}={EventsServiceKey}",
        .. extra,
    ];

    /// <summary>
    /// The AppHost for a test run. Auth's endpoint is not behind the orchestrator's proxy, so the
    /// testing builder's port randomizing does not reach it: it gets a free port here, or a second
    /// AppHost (the shutdown test's, the benchmark's) would find the shared one's 5101 taken.
    /// </summary>
    public static async Task<IDistributedApplicationTestingBuilder> CreateBuilderAsync(string[] args, CancellationToken cancellationToken, bool dashboard = false)
    {
        var builder = await CreateTestingBuilderAsync(args, dashboard, cancellationToken);
        builder.CreateResourceBuilder<ProjectResource>(ResourceNames.AuthApi)
            .WithEndpoint("http", endpoint => endpoint.Port = FreeLoopbackPort());
        return builder;
    }

    private static Task<IDistributedApplicationTestingBuilder> CreateTestingBuilderAsync(string[] args, bool dashboard, CancellationToken cancellationToken) =>
        DistributedApplicationTestingBuilder.CreateAsync<Projects.QuestAspire_AppHost>(
            args,
            (options, _) => options.DisableDashboard = !dashboard,
            cancellationToken);

    /// <summary>
    /// Starts the AppHost with its infrastructure alone (<see cref="InfrastructureOnly"/>): Postgres
    /// with the services' databases, RabbitMQ and Redis as local processes (wait for them with
    /// <see cref="WaitForAllHealthyAsync"/>).
    /// </summary>
    public static async Task<DistributedApplication> StartInfrastructureAsync(string stateDirectory, CancellationToken cancellationToken)
    {
        var builder = await CreateTestingBuilderAsync(
            LocalArgs(stateDirectory, $"--{InfrastructureOnly.ConfigurationKey}=true"), dashboard: false, cancellationToken);
        var app = await builder.BuildAsync(cancellationToken).WaitAsync(StartTimeout, cancellationToken);
        await app.StartAsync(cancellationToken).WaitAsync(StartTimeout, cancellationToken);
        return app;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Where a test run's dashboard is asked to listen (free loopback ports, so a developer's own
    /// AppHost on 18888 is left alone; see <see cref="DashboardUrl"/> for where it answers), and
    /// the key of its telemetry API.
    /// </summary>
    public sealed record DashboardEndpoints(Uri Url, Uri OtlpUrl, Uri ResourceServiceUrl, string ApiKey)
    {
        public static DashboardEndpoints OnFreePorts() => new(
            FreeLoopbackUrl(), FreeLoopbackUrl(), FreeLoopbackUrl(), Guid.NewGuid().ToString("N"));

        public string[] Args =>
        [
            $"--ASPNETCORE_URLS={Url}",
            $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL={OtlpUrl}",
            $"--ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL={ResourceServiceUrl}",
            "--ASPIRE_ALLOW_UNSECURED_TRANSPORT=true",
            $"--AppHost:DashboardApiKey={ApiKey}",
        ];

        private static Uri FreeLoopbackUrl() => new($"http://127.0.0.1:{FreeLoopbackPort()}");
    }

    /// <summary>
    /// Where the dashboard answers: the orchestrator may put it behind a proxy on another port
    /// than the one asked for, so the model's allocated endpoint says.
    /// </summary>
    public static Uri DashboardUrl(DistributedApplication app)
    {
        var dashboard = app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == "aspire-dashboard");
        var endpoints = dashboard.Annotations.OfType<EndpointAnnotation>().ToList();
        var http = endpoints.FirstOrDefault(e => e.UriScheme == "http" && e.AllocatedEndpoint is not null && !e.Name.Contains("otlp", StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException($"The dashboard has no allocated HTTP endpoint: {string.Join(", ", endpoints.Select(e => $"{e.Name}={e.AllocatedEndpoint?.UriString}"))}");
        return new Uri(http.AllocatedEndpoint!.UriString);
    }

    /// <summary>The token that logs a browser into the dashboard, as the AppHost settled it.</summary>
    public static string DashboardBrowserToken(DistributedApplication app) =>
        app.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["AppHost:BrowserToken"]
            ?? throw new InvalidOperationException("The AppHost has no dashboard browser token.");

    /// <summary>Starts the AppHost; with <paramref name="dashboard"/>, the services send their telemetry to a dashboard there.</summary>
    public static async Task<DistributedApplication> StartAsync(string stateDirectory, CancellationToken cancellationToken, DashboardEndpoints? dashboard = null)
    {
        var builder = await CreateBuilderAsync(LocalArgs(stateDirectory, dashboard?.Args ?? []), cancellationToken, dashboard is not null);
        // A lockout of seconds instead of a minute, so one test can wait one out in real time.
        // And more sign-ups per address than the shipped 10 a minute: every test calls from 127.0.0.1.
        builder.CreateResourceBuilder<ProjectResource>(ResourceNames.AuthApi)
            .WithEnvironment("Auth__Lockout__Duration", LockoutDuration.ToString("c"))
            .WithEnvironment("Auth__SignUpsPerMinute", SignUpsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var app = await builder.BuildAsync(cancellationToken).WaitAsync(StartTimeout, cancellationToken);
        await app.StartAsync(cancellationToken).WaitAsync(StartTimeout, cancellationToken);
        return app;
    }

    /// <summary>
    /// Names of the resources that run: not parameters (values, not processes) and not the
    /// orchestrator's hidden helpers (such as a project's rebuilder).
    /// </summary>
    public static IReadOnlyList<string> RunnableResources(DistributedApplication app)
    {
        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
        return [.. app.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .Where(r => r is not ParameterResource)
            .Where(r => !(notifications.TryGetCurrentState(r.Name, out var state) && state.Snapshot.IsHidden))
            .Select(r => r.Name)];
    }

    public static async Task WaitForAllHealthyAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
        var waits = RunnableResources(app).Select(name => notifications.WaitForResourceHealthyAsync(name, cancellationToken));
        try
        {
            await Task.WhenAll(waits).WaitAsync(StartTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Not every resource was healthy after {StartTimeout}: {DescribeStates(app)}");
        }
    }

    public static string DescribeStates(DistributedApplication app)
    {
        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
        return string.Join(", ", RunnableResources(app).Select(name =>
            notifications.TryGetCurrentState(name, out var e)
                ? $"{name}={e.Snapshot.State?.Text}/{e.Snapshot.HealthStatus}"
                : $"{name}=unknown"));
    }

    /// <summary>
    /// Processes whose working directory lies under <paramref name="directory"/>: every local
    /// server runs in its data folder, so these are the servers a run started.
    /// </summary>
    public static IReadOnlyList<string> ProcessesRunningIn(string directory)
    {
        var found = new List<string>();
        foreach (var proc in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), out var pid))
            {
                continue;
            }

            try
            {
                var cwd = new FileInfo(Path.Combine(proc, "cwd")).LinkTarget;
                if (cwd is not null && cwd.StartsWith(directory, StringComparison.Ordinal))
                {
                    var cmdline = File.ReadAllText(Path.Combine(proc, "cmdline")).Replace('\0', ' ').Trim();
                    found.Add($"{pid}: {cmdline}");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // the process ended while we looked, or is not ours to inspect
            }
        }

        return found;
    }

    public static void DeleteStateDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Trace.WriteLine($"Could not delete {directory}: {e.Message}");
        }
    }
}
