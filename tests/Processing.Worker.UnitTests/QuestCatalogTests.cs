using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using QuestAspire.Processing.Worker.Services;
using QuestAspire.ServiceDefaults.Telemetry;

namespace QuestAspire.Processing.Worker.UnitTests;

public sealed class QuestCatalogTests : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(10);
    private static readonly Guid SignInThree = Guid.Parse("0199a8f0-0000-7000-8000-000000000001");
    private static readonly Guid Retired = Guid.Parse("0199a8f0-0000-7000-8000-000000000002");

    // The shape Catalog.Api serves: snake_case, reward inline, more fields than the worker reads.
    private const string TwoQuests = """
        [
          { "quest_id": "0199a8f0-0000-7000-8000-000000000001", "name": "signin_three", "description": "Sign in three times",
            "streak": 3, "duplication": 2, "auto_claim": false, "is_active": true,
            "reward": { "reward_id": "0199a8f0-0000-7000-8000-0000000000aa", "name": "signin_three", "item": "diamond", "qty": 10, "is_active": true } },
          { "quest_id": "0199a8f0-0000-7000-8000-000000000002", "name": "retired", "description": "No longer offered",
            "streak": 1, "duplication": 1, "auto_claim": true, "is_active": false,
            "reward": { "reward_id": "0199a8f0-0000-7000-8000-0000000000bb", "name": "gold", "item": "gold", "qty": 1, "is_active": true } }
        ]
        """;

    private readonly FakeCatalog _catalogApi = new();
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly ServiceProvider _services;
    private readonly QuestCatalog _catalog;

    public QuestCatalogTests()
    {
        var services = new ServiceCollection();
        services.AddHttpClient<CatalogClient>(http => http.BaseAddress = new Uri("http://catalog-api"))
            .ConfigurePrimaryHttpMessageHandler(() => _catalogApi);
        services.AddMetrics();
        _services = services.BuildServiceProvider();
        _catalog = new QuestCatalog(
            _services.GetRequiredService<IServiceScopeFactory>(),
            Options.Create(new CatalogOptions { RefreshInterval = Interval }),
            new ProcessingTelemetry(new ServiceTelemetry("QuestAspire.Processing", _services.GetRequiredService<IMeterFactory>())),
            _time,
            NullLogger<QuestCatalog>.Instance);
    }

    [Fact]
    public async Task GetAsync_FirstRead_LoadsAllQuestsAndTheActiveOnes()
    {
        _catalogApi.Respond(TwoQuests);

        var snapshot = await _catalog.GetAsync(TestContext.Current.CancellationToken);

        Assert.Equal([SignInThree, Retired], snapshot.Quests.Keys.Order());
        var active = Assert.Single(snapshot.Active);
        Assert.Equal(new QuestRule(SignInThree, "signin_three", 3, 2), active);
        Assert.Equal("/api/quests?include_inactive=true", _catalogApi.LastRequest?.PathAndQuery);
    }

    [Fact]
    public async Task GetAsync_WithinTheInterval_DoesNotCallTheCatalogAgain()
    {
        _catalogApi.Respond(TwoQuests);
        await _catalog.GetAsync(TestContext.Current.CancellationToken);

        for (var i = 0; i < 100; i++)
        {
            _time.Advance(Interval / 200);
            await _catalog.GetAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal(1, _catalogApi.Calls);
    }

    [Fact]
    public async Task GetAsync_CatalogNeverAnswered_Throws()
    {
        _catalogApi.Fail();

        await Assert.ThrowsAsync<CatalogUnavailableException>(() => _catalog.GetAsync(TestContext.Current.CancellationToken).AsTask());
    }

    [Fact]
    public async Task RefreshAsync_CatalogFails_KeepsTheLastGoodCopy()
    {
        _catalogApi.Respond(TwoQuests);
        var loaded = await _catalog.GetAsync(TestContext.Current.CancellationToken);
        _catalogApi.Fail();
        _time.Advance(Interval);

        var afterFailure = await _catalog.RefreshAsync(TestContext.Current.CancellationToken);

        Assert.Same(loaded, afterFailure);
        Assert.Same(loaded, await _catalog.GetAsync(TestContext.Current.CancellationToken));
        Assert.Equal(2, _catalogApi.Calls);
    }

    [Fact]
    public async Task GetAsync_AfterTheInterval_ReturnsTheOldCopyAndRefreshesInTheBackground()
    {
        _catalogApi.Respond(TwoQuests);
        var loaded = await _catalog.GetAsync(TestContext.Current.CancellationToken);
        _catalogApi.Respond("[]");
        _time.Advance(Interval);

        var stale = await _catalog.GetAsync(TestContext.Current.CancellationToken);
        var refreshed = await WaitForAsync(async () =>
        {
            var snapshot = await _catalog.GetAsync(TestContext.Current.CancellationToken);
            return snapshot.Quests.Count == 0 ? snapshot : null;
        });

        Assert.Same(loaded, stale);
        Assert.Empty(refreshed.Active);
        Assert.Equal(2, _catalogApi.Calls);
    }

    [Fact]
    public async Task GetAsync_InvalidQuest_IsIgnoredAndTheOthersLoad()
    {
        _catalogApi.Respond("""
            [
              { "quest_id": "0199a8f0-0000-7000-8000-000000000001", "name": "signin_three", "streak": 3, "duplication": 2, "is_active": true },
              { "quest_id": "0199a8f0-0000-7000-8000-000000000002", "name": "broken", "streak": 0, "duplication": 2, "is_active": true }
            ]
            """);

        var snapshot = await _catalog.GetAsync(TestContext.Current.CancellationToken);

        Assert.Equal(SignInThree, Assert.Single(snapshot.Active).QuestId);
    }

    public void Dispose()
    {
        _catalog.Dispose();
        _services.Dispose();
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe)
        where T : class
    {
        var deadline = DateTime.UtcNow + WaitLimit;
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Nothing matched within {WaitLimit}.");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    private sealed class FakeCatalog : HttpMessageHandler
    {
        private volatile Func<HttpResponseMessage> _respond = () => new HttpResponseMessage(HttpStatusCode.NotFound);
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Uri? LastRequest { get; private set; }

        public void Respond(string json) => _respond = () => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };

        public void Fail() => _respond = () => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            LastRequest = request.RequestUri;
            return Task.FromResult(_respond());
        }
    }

    private sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
