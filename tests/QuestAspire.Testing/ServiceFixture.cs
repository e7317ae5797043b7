using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace QuestAspire.Testing;

/// <summary>
/// The fast tier: one service hosted in the test process by <see cref="WebApplicationFactory{TEntryPoint}"/>
/// on Kestrel (the HTTP stack it has in production, body limits included), over real Postgres,
/// RabbitMQ and Redis that the AppHost starts alone (<see cref="TestAppHost.StartInfrastructureAsync"/>),
/// once per test assembly. The service gets the connection strings the AppHost would give it, and
/// runs its migrations and seeding at start as it always does.
/// </summary>
public abstract class ServiceFixture<TEntryPoint> : IAsyncLifetime
    where TEntryPoint : class
{
    private static readonly TimeSpan HealthyTimeout = TimeSpan.FromMinutes(2);

    private readonly string _stateDirectory = TestAppHost.NewStateDirectory();
    private DistributedApplication? _infrastructure;
    private Factory<TEntryPoint>? _factory;

    /// <summary>The connection strings the service reads (<c>ConnectionStrings:&lt;name&gt;</c>), by resource name.</summary>
    protected abstract IReadOnlyList<string> ConnectionStringNames { get; }

    /// <summary>The key the service validates access tokens with (mint them with <see cref="TestTokens"/>).</summary>
    public string SigningKey { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));

    public TimeSpan StartupTime { get; private set; }

    /// <summary>The infrastructure's connection strings, by resource name, as the service was given them.</summary>
    public IReadOnlyDictionary<string, string> ConnectionStrings { get; private set; } = new Dictionary<string, string>();

    /// <summary>A client of the service's Kestrel endpoint.</summary>
    public HttpClient CreateClient() =>
        (_factory ?? throw new InvalidOperationException("The service has not started.")).CreateClient();

    /// <summary>Settings beyond the connection strings and the signing key.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> Settings() => [];

    /// <summary>
    /// Starts, before the service, another service it cannot start without (on the same
    /// infrastructure, in this process too; see <see cref="StartKestrelAsync{TOther}"/>), and
    /// answers the settings that point the service at it. None by default.
    /// </summary>
    protected virtual Task<IEnumerable<KeyValuePair<string, string>>> StartDependenciesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IEnumerable<KeyValuePair<string, string>>>([]);

    /// <summary>Stops what <see cref="StartDependenciesAsync"/> started (after the service has stopped).</summary>
    protected virtual ValueTask DisposeDependenciesAsync() => ValueTask.CompletedTask;

    /// <summary>A connection string of the infrastructure, by resource name.</summary>
    protected async Task<string> ConnectionStringAsync(string name, CancellationToken cancellationToken)
    {
        var infrastructure = _infrastructure ?? throw new InvalidOperationException("The infrastructure has not started.");
        var value = await infrastructure.GetConnectionStringAsync(name, cancellationToken);
        return string.IsNullOrEmpty(value) ? throw new InvalidOperationException($"The infrastructure has no connection string for '{name}'.") : value;
    }

    /// <summary>
    /// Hosts <typeparamref name="TOther"/> in this process on Kestrel with <paramref name="settings"/>
    /// and waits for its <c>/health</c> to answer 200; the caller disposes it.
    /// </summary>
    protected static async Task<WebApplicationFactory<TOther>> StartKestrelAsync<TOther>(IEnumerable<KeyValuePair<string, string>> settings, CancellationToken cancellationToken)
        where TOther : class
    {
        var factory = new Factory<TOther>([.. settings]);
        factory.UseKestrel(0);
        factory.StartServer();
        await WaitHealthyAsync(factory, cancellationToken);
        return factory;
    }

    public async ValueTask InitializeAsync()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var cts = new CancellationTokenSource(TestAppHost.StartTimeout * 2);
        _infrastructure = await TestAppHost.StartInfrastructureAsync(_stateDirectory, cts.Token);
        await TestAppHost.WaitForAllHealthyAsync(_infrastructure, cts.Token);

        var connectionStrings = new Dictionary<string, string>();
        foreach (var name in ConnectionStringNames)
        {
            connectionStrings[name] = await ConnectionStringAsync(name, cts.Token);
        }

        ConnectionStrings = connectionStrings;
        var dependencies = await StartDependenciesAsync(cts.Token);
        var settings = connectionStrings.Select(c => KeyValuePair.Create($"ConnectionStrings:{c.Key}", c.Value))
            .Append(KeyValuePair.Create("Jwt:SigningKey", SigningKey))
            .Concat(Settings())
            .Concat(dependencies);
        _factory = new Factory<TEntryPoint>([.. settings]);
        _factory.UseKestrel(0);
        _factory.StartServer();
        await WaitHealthyAsync(_factory, cts.Token);
        StartupTime = clock.Elapsed;
        TestContext.Current.SendDiagnosticMessage($"{typeof(TEntryPoint).Assembly.GetName().Name} and its infrastructure healthy after {StartupTime.TotalSeconds:F1} s");
    }

    private static async Task WaitHealthyAsync<TService>(WebApplicationFactory<TService> factory, CancellationToken cancellationToken)
        where TService : class
    {
        using var http = factory.CreateClient();
        await Poll.UntilAsync(
            $"{typeof(TService).Assembly.GetName().Name} to answer /health with 200",
            async ct =>
            {
                using var response = await http.GetAsync(new Uri("/health", UriKind.Relative), ct);
                return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(ct));
            },
            reply => reply.StatusCode == HttpStatusCode.OK,
            HealthyTimeout,
            cancellationToken,
            reply => $"{(int)reply.StatusCode} {reply.Body}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        await DisposeDependenciesAsync();

        if (_infrastructure is not null)
        {
            await _infrastructure.StopAsync().WaitAsync(TestAppHost.StopTimeout);
            await _infrastructure.DisposeAsync();
        }

        TestAppHost.DeleteStateDirectory(_stateDirectory);
        GC.SuppressFinalize(this);
    }

    private sealed class Factory<TService>(IReadOnlyList<KeyValuePair<string, string>> settings) : WebApplicationFactory<TService>
        where TService : class
    {
        // UseSetting, not ConfigureAppConfiguration: the service reads its connection strings while
        // it registers its services, before the app's configuration sources are all added.
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}
