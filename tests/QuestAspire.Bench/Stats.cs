using System.Diagnostics;

namespace QuestAspire.Bench;

/// <summary>Percentiles from every sample (nearest rank on the sorted samples, no histogram).</summary>
public static class Stats
{
    public static double Percentile(IEnumerable<double> samples, double percent)
    {
        var sorted = samples.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    /// <summary>Seconds as milliseconds for a report: "12 ms", or "n/a" when there was no sample.</summary>
    public static string Ms(double seconds) => double.IsNaN(seconds) ? "n/a" : $"{seconds * 1000:F0} ms";

    public static string Rate(double perSecond) => double.IsNaN(perSecond) ? "n/a" : $"{perSecond:F0}/s";

    public static string Ratio(double value, double limit) =>
        double.IsNaN(value) || double.IsNaN(limit) || limit == 0 ? "n/a" : $"{value / limit * 100:F1}%";
}

/// <summary>The one way the bench waits for the system: poll a reading until it satisfies a condition, or time out with what was seen.</summary>
public static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(30);

    public static async Task<T> UntilAsync<T>(
        string what, Func<CancellationToken, Task<T>> read, Func<T, bool> done, TimeSpan timeout, CancellationToken cancellationToken)
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
                throw new TimeoutException($"Waited {timeout.TotalSeconds:F0} s for {what}; last seen: {seen}");
            }

            await Task.Delay(Interval, cancellationToken);
        }
    }
}
