using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using QuestAspire.EventBus;
using QuestAspire.Processing.Worker.Services;

namespace QuestAspire.Processing.Worker.UnitTests;

/// <summary>A service's own catalog copy: newest version wins, whatever the order, and the bootstrap load merges with events.</summary>
public sealed class CatalogCopyTests
{
    private sealed record Quest(Guid QuestId, string Name, bool IsActive, long Version) : ICatalogQuest;

    private static readonly Guid A = Guid.Parse("0199a8f0-0000-7000-8000-00000000000a");
    private static readonly Guid B = Guid.Parse("0199a8f0-0000-7000-8000-00000000000b");

    [Fact]
    public void Apply_NewerVersion_Replaces_OlderOrSameIsIgnored()
    {
        var copy = new CatalogCopy<Quest>();

        Assert.True(copy.Apply(new Quest(A, "first", true, 5)));
        Assert.False(copy.Apply(new Quest(A, "older", false, 4)));
        Assert.False(copy.Apply(new Quest(A, "same version again", false, 5)));
        Assert.True(copy.Apply(new Quest(A, "newer", false, 9)));

        Assert.Equal(new Quest(A, "newer", false, 9), copy.Quests[A]);
        Assert.Equal(9, copy.Version);
    }

    [Fact]
    public void Apply_AnyOrderAndDuplicates_EndAtTheSameCopy()
    {
        Quest[] changes = [new(A, "a1", true, 1), new(B, "b2", true, 2), new(A, "a3", false, 3), new(B, "b4", false, 4), new(A, "a5", true, 5)];
        var inOrder = new CatalogCopy<Quest>();
        inOrder.Apply(changes);

        foreach (var shuffled in new[] { changes.Reverse().ToArray(), [.. changes, .. changes], [changes[4], changes[1], changes[0], changes[3], changes[2], changes[4]] })
        {
            var copy = new CatalogCopy<Quest>();
            foreach (var change in shuffled)
            {
                copy.Apply(change);
            }

            Assert.Equal(inOrder.Quests.OrderBy(q => q.Key), copy.Quests.OrderBy(q => q.Key));
            Assert.Equal(5, copy.Version);
        }
    }

    [Fact]
    public void Load_AfterEvents_KeepsTheNewerEvent_AndMarksLoaded()
    {
        var copy = new CatalogCopy<Quest>();
        copy.Apply(new Quest(A, "from an event after the load was read", false, 7));
        Assert.False(copy.IsLoaded);

        copy.Load([new Quest(A, "as the catalog answered earlier", true, 6), new Quest(B, "b", true, 3)]);

        Assert.True(copy.IsLoaded);
        Assert.Equal("from an event after the load was read", copy.Quests[A].Name);
        Assert.Equal("b", copy.Quests[B].Name);
    }

    [Fact]
    public void Generation_MovesOnlyWhenTheCopyChanges()
    {
        var copy = new CatalogCopy<Quest>();
        copy.Apply(new Quest(A, "a", true, 1));
        var generation = copy.Generation;

        copy.Apply(new Quest(A, "a again", true, 1));
        Assert.Equal(generation, copy.Generation);

        copy.Apply(new Quest(A, "a changed", true, 2));
        Assert.Equal(generation + 1, copy.Generation);
    }

    [Fact]
    public async Task QuestChangedHandler_AppliesTheSnapshotInTheEvent()
    {
        var copy = new CatalogCopy<Quest>();
        var handler = new QuestChangedHandler<Quest>(copy, NullLogger<QuestChangedHandler<Quest>>.Instance);

        await handler.HandleAsync(Batch(QuestChanged(A, "signin_three", 4), QuestChanged(A, "stale", 2)), TestContext.Current.CancellationToken);

        Assert.Equal(new Quest(A, "signin_three", true, 4), copy.Quests[A]);
    }

    [Fact]
    public async Task QuestChangedHandler_WithoutAQuest_FailsPermanently()
    {
        var handler = new QuestChangedHandler<Quest>(new CatalogCopy<Quest>(), NullLogger<QuestChangedHandler<Quest>>.Instance);
        var noQuest = IntegrationEvent.Create(EventNames.QuestChanged, Guid.NewGuid(), DateTimeOffset.UnixEpoch, new { catalog_version = 1 });

        var failure = await Record.ExceptionAsync(() => handler.HandleAsync(Batch(noQuest), TestContext.Current.CancellationToken));

        Assert.NotNull(failure);
        Assert.Equal(FailureClass.Permanent, FailureClassifier.Classify(failure));
    }

    [Fact]
    public async Task Bootstrap_RetriesWithGrowingDelay_UntilTheCatalogAnswers()
    {
        var time = new TimerCountingTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        var catalogApi = new FlakyCatalog(failures: 3, $$"""[{ "quest_id": "{{A}}", "name": "signin_three", "is_active": true, "version": 12, "more": "fields" }]""");
        var copy = new CatalogCopy<Quest>();
        var bootstrap = new CatalogBootstrap<Quest>(new SingleClientFactory(catalogApi), copy, time, NullLogger<CatalogBootstrap<Quest>>.Instance);

        var loading = bootstrap.LoadAsync(TestContext.Current.CancellationToken);
        Assert.True(await catalogApi.WaitForCallsAsync(1), "the first call is made at once");
        var calls = 1;
        foreach (var delay in new[] { TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1) })
        {
            await catalogApi.WaitUntilAnsweredAsync(calls);
            Assert.True(await time.WaitForTimersAsync(calls), "the bootstrap waits on a timer after a failed call");
            time.Advance(delay - TimeSpan.FromMilliseconds(1));
            Assert.False(await catalogApi.WaitForCallsAsync(calls + 1, TimeSpan.FromMilliseconds(100)), $"called again before {delay}");
            time.Advance(TimeSpan.FromMilliseconds(1));
            Assert.True(await catalogApi.WaitForCallsAsync(calls + 1), $"called again after {delay}");
            calls++;
        }

        await loading.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.True(copy.IsLoaded);
        Assert.Equal(12, copy.Version);
        Assert.Equal(4, catalogApi.Calls);
    }

    private static IntegrationEvent QuestChanged(Guid questId, string name, long version) =>
        IntegrationEvent.Create(EventNames.QuestChanged, Guid.NewGuid(), DateTimeOffset.UnixEpoch, new
        {
            catalog_version = version,
            quest = new { quest_id = questId, name, is_active = true, version, reward = new { item = "diamond", qty = 10 } },
        });

    private static EventBatch Batch(params IntegrationEvent[] events) =>
        new([.. events.Select(e => new ReceivedEvent(e, default, Redelivered: false))], new ActivitySource("test"));

    private sealed class SingleClientFactory(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false) { BaseAddress = new Uri("http://catalog-api") };
    }

    /// <summary>A fake clock that counts the timers made on it, so a test moves time only once the code under test waits on one.</summary>
    private sealed class TimerCountingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
    {
        private int _timers;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            Interlocked.Increment(ref _timers);
            return timer;
        }

        public async Task<bool> WaitForTimersAsync(int count)
        {
            var clock = Stopwatch.StartNew();
            while (Volatile.Read(ref _timers) < count)
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(10))
                {
                    return false;
                }

                await Task.Delay(5, TestContext.Current.CancellationToken);
            }

            return true;
        }
    }

    /// <summary>Answers 503 a number of times, then the catalog.</summary>
    private sealed class FlakyCatalog(int failures, string body) : HttpMessageHandler
    {
        private int _calls;
        private int _answered;

        public int Calls => Volatile.Read(ref _calls);

        public Task<bool> WaitForCallsAsync(int count, TimeSpan? timeout = null) => WaitAsync(() => Calls >= count, timeout ?? TimeSpan.FromSeconds(10));

        // The answer has reached the bootstrap, which is about to wait on its timer.
        public Task<bool> WaitUntilAnsweredAsync(int count) => WaitAsync(() => Volatile.Read(ref _answered) >= count, TimeSpan.FromSeconds(10));

        private static async Task<bool> WaitAsync(Func<bool> condition, TimeSpan timeout)
        {
            var clock = Stopwatch.StartNew();
            while (!condition())
            {
                if (clock.Elapsed > timeout)
                {
                    return false;
                }

                await Task.Delay(5, TestContext.Current.CancellationToken);
            }

            return true;
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Assert.Equal("/api/quests?include_inactive=true", request.RequestUri!.PathAndQuery);
            var call = Interlocked.Increment(ref _calls);
            var response = call <= failures
                ? new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
                : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            Interlocked.Increment(ref _answered);
            return Task.FromResult(response);
        }
    }
}
