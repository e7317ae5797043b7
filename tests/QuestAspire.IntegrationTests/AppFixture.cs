[assembly: AssemblyFixture(typeof(QuestAspire.IntegrationTests.AppFixture))]

namespace QuestAspire.IntegrationTests;

/// <summary>One running AppHost (local processes) shared by the tests that only talk to it.</summary>
public sealed class AppFixture : IAsyncLifetime
{
    private readonly string _stateDirectory = TestAppHost.NewStateDirectory();
    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The AppHost has not started.");

    public string StateDirectory => _stateDirectory;

    public TimeSpan StartupTime { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var cts = new CancellationTokenSource(TestAppHost.StartTimeout * 2);
        _app = await TestAppHost.StartAsync(_stateDirectory, cts.Token);
        await TestAppHost.WaitForAllHealthyAsync(_app, cts.Token);
        StartupTime = clock.Elapsed;
        TestContext.Current.SendDiagnosticMessage($"AppHost healthy after {StartupTime.TotalSeconds:F1} s");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync().WaitAsync(TestAppHost.StopTimeout);
            await _app.DisposeAsync();
        }

        TestAppHost.DeleteStateDirectory(_stateDirectory);
    }
}
