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
