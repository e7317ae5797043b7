using System.Diagnostics;

namespace QuestAspire.Testing;

/// <summary>
/// The one way tests and the bench wait for the system: poll a reading until it satisfies a
/// condition, or time out with what was seen. No test sleeps a fixed time instead.
/// </summary>
public static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(30);

    public static async Task<T> UntilAsync<T>(
        string what, Func<CancellationToken, Task<T>> read, Func<T, bool> done, TimeSpan timeout, CancellationToken cancellationToken,
        Func<T, string>? describe = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var seen = await read(cancellationToken).WaitAsync(ReadTimeout, cancellationToken);
            if (done(seen))
            {
                return seen;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:F0} s for {what}; last seen: {(describe is null ? seen : describe(seen))}");
            }

            await Task.Delay(Interval, cancellationToken);
        }
    }
}
