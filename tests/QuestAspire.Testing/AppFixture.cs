namespace QuestAspire.Testing;

/// <summary>
/// One running AppHost (local processes) shared by the tests that only talk to it, with the
/// Aspire dashboard receiving every service's telemetry, as in a developer's run.
/// </summary>
public sealed class AppFixture : IAsyncLifetime
{
    private readonly string _stateDirectory = TestAppHost.NewStateDirectory();
    private readonly TestAppHost.DashboardEndpoints _dashboardEndpoints = TestAppHost.DashboardEndpoints.OnFreePorts();
    private DistributedApplication? _app;
    private DashboardTelemetry? _dashboard;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The AppHost has not started.");

    /// <summary>The dashboard's telemetry API.</summary>
    public DashboardTelemetry Dashboard => _dashboard ?? throw new InvalidOperationException("The AppHost has not started.");

    public string StateDirectory => _stateDirectory;

    /// <summary>Where this run's dashboard receives telemetry: every service of this run is told this address.</summary>
    public Uri DashboardOtlpUrl => _dashboardEndpoints.OtlpUrl;

    public TimeSpan StartupTime { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var cts = new CancellationTokenSource(TestAppHost.StartTimeout * 2);
        _app = await TestAppHost.StartAsync(_stateDirectory, cts.Token, _dashboardEndpoints);
        _dashboard = new DashboardTelemetry(TestAppHost.DashboardUrl(_app), _dashboardEndpoints.ApiKey);
        await TestAppHost.WaitForAllHealthyAsync(_app, cts.Token);
        StartupTime = clock.Elapsed;
        TestContext.Current.SendDiagnosticMessage($"AppHost healthy after {StartupTime.TotalSeconds:F1} s");
    }

    public async ValueTask DisposeAsync()
    {
        _dashboard?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync().WaitAsync(TestAppHost.StopTimeout);
            await _app.DisposeAsync();
        }

        TestAppHost.DeleteStateDirectory(_stateDirectory);
    }
}
