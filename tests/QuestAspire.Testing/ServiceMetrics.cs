using System.Globalization;
using System.Text.RegularExpressions;

namespace QuestAspire.Testing;

/// <summary>
/// A service's counters, read from <c>/metrics</c> (Prometheus text) on every replica and added
/// up: the same instruments the dashboard shows, without waiting for an export interval.
/// </summary>
public sealed partial class ServiceMetrics
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples = [];

    public string Text { get; private set; } = "";

    /// <summary>Scrapes each of <paramref name="replicas"/> instances of <paramref name="service"/>.</summary>
    public static async Task<ServiceMetrics> ScrapeAsync(DistributedApplication app, string service, int replicas = 1)
    {
        var metrics = new ServiceMetrics();
        using var http = new HttpClient { Timeout = QuestApiClient.RequestTimeout };
        foreach (var url in await ReplicaUrlsAsync(app, service, replicas))
        {
            // A replica a fault test killed or stopped may still be coming back: wait for it to answer.
            var text = await Poll.UntilAsync($"{url} to serve /metrics", async ct =>
            {
                try
                {
                    return await http.GetStringAsync(new Uri(url, "/metrics"), ct);
                }
                catch (HttpRequestException)
                {
                    return null;
                }
            }, answered => answered is not null, TimeSpan.FromSeconds(90), TestContext.Current.CancellationToken);
            metrics.Text += $"# {url}\n{text}";
            metrics.Parse(text!);
        }

        return metrics;
    }

    /// <summary>The sum of <paramref name="name"/> over every replica and every label set that has <paramref name="labels"/>.</summary>
    public double Sum(string name, params (string Key, string Value)[] labels) =>
        _samples.Where(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Key) == l.Value)).Sum(s => s.Value);

    /// <summary>The values of <paramref name="name"/>, one per replica and label set.</summary>
    public IReadOnlyList<double> Values(string name) => [.. _samples.Where(s => s.Name == name).Select(s => s.Value)];

    // Each replica listens on its own port behind the service's proxy; its environment says which.
    public static async Task<IReadOnlyList<Uri>> ReplicaUrlsAsync(DistributedApplication app, string service, int replicas)
    {
        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
        var found = new Dictionary<string, Uri>();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(30));
        await foreach (var e in notifications.WatchAsync(cts.Token))
        {
            var urls = e.Snapshot.EnvironmentVariables.FirstOrDefault(v => v.Name == "ASPNETCORE_URLS" && v.IsFromSpec)?.Value;
            if (e.Resource.Name == service && e.Snapshot.State?.Text == KnownResourceStates.Running && urls is not null)
            {
                found[e.ResourceId] = new Uri(urls.Split(';')[0]);
                if (found.Count == replicas)
                {
                    break;
                }
            }
        }

        Assert.True(found.Count == replicas, $"{service} should have {replicas} running replica(s); found {string.Join(", ", found)}");
        return [.. found.Values];
    }

    // name{label="value",...} value [timestamp]
    private void Parse(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            var match = SampleLine().Match(line.Trim());
            if (!match.Success)
            {
                continue;
            }

            var labels = LabelPair().Matches(match.Groups["labels"].Value)
                .ToDictionary(m => m.Groups["key"].Value, m => Regex.Unescape(m.Groups["value"].Value));
            _samples.Add((match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>[-+0-9.eE]+|NaN|[+-]Inf)(\s+\d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
