using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace QuestAspire.EventBus.UnitTests;

/// <summary>The reconnect loop every broker consumer runs.</summary>
public sealed class BrokerSessionsTests
{
    private static readonly double[] DelaySeconds = [0.5, 1, 2, 4, 8, 15, 15];

    [Fact]
    public void Delays_DoubleFromHalfASecond_UpTo15Seconds()
    {
        var delays = new List<TimeSpan> { BrokerSessions.FirstReconnectDelay };
        while (delays.Count < DelaySeconds.Length)
        {
            delays.Add(BrokerSessions.NextDelay(delays[^1]));
        }

        Assert.Equal(DelaySeconds.Select(TimeSpan.FromSeconds), delays);
    }

    [Fact]
    public async Task ALostSession_IsStartedAgain_AndTheLoopEndsWhenTheHostStops()
    {
        var time = new FakeTimeProvider();
        using var stop = new CancellationTokenSource();
        var sessions = 0;
        var loop = BrokerSessions.RunAsync((_, ct) =>
        {
            if (Interlocked.Increment(ref sessions) == 3)
            {
                stop.Cancel();
                ct.ThrowIfCancellationRequested();
            }

            throw new IOException("the channel closed");
        }, "queue", time, NullLogger.Instance, stop.Token);

        // Move the fake clock on (past any delay) until the third session has run.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!loop.IsCompleted && DateTime.UtcNow < deadline)
        {
            time.Advance(BrokerSessions.MaxReconnectDelay);
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }

        await loop.WaitAsync(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        Assert.Equal(3, sessions);
    }
}
