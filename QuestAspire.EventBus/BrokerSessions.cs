using Microsoft.Extensions.Logging;

namespace QuestAspire.EventBus;

/// <summary>
/// Runs a consuming session on the broker again and again until the host stops: a lost channel
/// (broker restart, network) ends a session, and the next one starts after a delay that doubles
/// from 0.5 s up to 15 s, back to 0.5 s once a session has connected.
/// </summary>
public static class BrokerSessions
{
    public static readonly TimeSpan FirstReconnectDelay = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(15);

    /// <summary>The delay after <paramref name="delay"/>: twice as long, at most <see cref="MaxReconnectDelay"/>.</summary>
    public static TimeSpan NextDelay(TimeSpan delay) => TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxReconnectDelay.Ticks));

    /// <summary>
    /// Runs <paramref name="session"/> (which calls the action it is given once it is connected and
    /// consuming) until the host stops; <paramref name="what"/> names the queue or stream in the log.
    /// </summary>
    public static async Task RunAsync(
        Func<Action, CancellationToken, Task> session, string what, TimeProvider time, ILogger logger, CancellationToken stoppingToken)
    {
        var delay = FirstReconnectDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await session(() => delay = FirstReconnectDelay, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Consuming {Queue} stopped; reconnecting in {Delay}", what, delay);
                await Task.Delay(delay, time, stoppingToken);
                delay = NextDelay(delay);
            }
        }
    }
}
