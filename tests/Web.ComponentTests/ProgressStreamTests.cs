using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace QuestAspire.Web.ComponentTests;

/// <summary>The Quests page's line to the worker's progress stream: what it says, and how it comes back after a break.</summary>
public sealed class ProgressStreamTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly TimerClock _time = new();
    private readonly FakeProgressStreams _streams = new();
    private readonly Channel<bool> _changes = Channel.CreateUnbounded<bool>();
    private readonly CancellationTokenSource _stop = new();
    private int _changeCount;

    private Task StartAsync()
    {
        var api = new FakeApi(_streams.AnswerAsync);
        var stream = new ProgressStream(TestServices.Client(api, "processing-worker"), TestServices.Session(), _time, NullLogger<ProgressStream>.Instance);
        return stream.RunAsync(TestServices.Player.UserId, () =>
        {
            Interlocked.Increment(ref _changeCount);
            _changes.Writer.TryWrite(true);
            return Task.CompletedTask;
        }, _stop.Token);
    }

    [Fact]
    public async Task Changed_IsALook_AndSoIsTheFirstReady_ForWhatChangedBeforeTheStreamListened()
    {
        _ = StartAsync();
        var stream = await _streams.NextOpenedAsync(Patience);

        // A change between the page's first load and its stream's opening was told to nobody: "ready" is one look.
        await NextChangeAsync();
        await stream.SendAsync(ProgressStream.ChangedEvent);
        await stream.SendAsync("heartbeat");
        await stream.SendAsync(ProgressStream.ChangedEvent);

        await NextChangeAsync();
        await NextChangeAsync();
        Assert.Equal(3, Volatile.Read(ref _changeCount));
    }

    [Fact]
    public async Task AStreamThatEnds_IsOpenedAgainAfterASecond_AndThatCostsOneLook()
    {
        _ = StartAsync();
        var first = await _streams.NextOpenedAsync(Patience);
        await NextChangeAsync(); // its "ready"

        first.End();
        Assert.Equal(TimeSpan.FromSeconds(1), await _time.NextBackoffAsync(Patience));
        _time.Advance(TimeSpan.FromSeconds(1));
        var second = await _streams.NextOpenedAsync(Patience);

        // A notification may have been lost while it was down: the "ready" of the new stream is one look.
        await NextChangeAsync();
        Assert.Equal(2, Volatile.Read(ref _changeCount));
        await second.SendAsync(ProgressStream.ChangedEvent);
        await NextChangeAsync();
        Assert.Equal(3, Volatile.Read(ref _changeCount));
    }

    [Fact]
    public async Task AWorkerThatIsNotThere_IsAskedAgainEverLater_UpTo30Seconds_ThenTheStreamRefreshes()
    {
        _streams.FailNext(7);
        _ = StartAsync();

        var waits = new List<TimeSpan>();
        for (var i = 0; i < 7; i++)
        {
            var wait = await _time.NextBackoffAsync(Patience);
            waits.Add(wait);
            _time.Advance(wait);
        }

        await _streams.NextOpenedAsync(Patience);
        Assert.Equal([1, 2, 4, 8, 16, 30, 30], waits.Select(w => w.TotalSeconds));
        await NextChangeAsync();
        Assert.Equal(1, Volatile.Read(ref _changeCount));
    }

    [Fact]
    public async Task AStreamSilentPastTwoHeartbeats_IsGivenUpAndOpenedAgain()
    {
        _ = StartAsync();
        var first = await _streams.NextOpenedAsync(Patience);

        _time.Advance(ProgressStream.Silence);
        Assert.Equal(TimeSpan.FromSeconds(1), await _time.NextBackoffAsync(Patience));
        await first.WhenClosedAsync(Patience); // the silent stream is given up
        _time.Advance(TimeSpan.FromSeconds(1));

        var second = await _streams.NextOpenedAsync(Patience);
        Assert.False(second.Closed);
    }

    [Fact]
    public async Task Stopping_ClosesTheStream_AndEndsTheLoop()
    {
        var run = StartAsync();
        var stream = await _streams.NextOpenedAsync(Patience);

        await _stop.CancelAsync();

        await run.WaitAsync(Patience, TestContext.Current.CancellationToken);
        await stream.WhenClosedAsync(Patience);
        Assert.Equal(0, _streams.Open);
    }

    private async Task NextChangeAsync() => await
        _changes.Reader.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(Patience, TestContext.Current.CancellationToken);

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    /// <summary>A fake clock that says how long each wait before a reconnection is (the silence watchdogs aside).</summary>
    private sealed class TimerClock : FakeTimeProvider
    {
        private readonly Channel<TimeSpan> _armed = Channel.CreateUnbounded<TimeSpan>();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            if (dueTime != ProgressStream.Silence)
            {
                _armed.Writer.TryWrite(dueTime);
            }

            return timer;
        }

        public Task<TimeSpan> NextBackoffAsync(TimeSpan timeout) =>
            _armed.Reader.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(timeout, TestContext.Current.CancellationToken);
    }
}
