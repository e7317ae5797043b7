using System.Net.Http.Json;
using System.Text.Json;

namespace QuestAspire.Testing;

/// <summary>What each replica's own catalog copy holds, read from its <c>/health</c>.</summary>
public static class CatalogCopies
{
    /// <summary>
    /// Waits until every replica of <paramref name="service"/> holds catalog version
    /// <paramref name="version"/> or later in its own copy (its <c>/health</c> entry <c>catalog-copy</c>
    /// says "N quests at catalog version V"); answers how long that took.
    /// </summary>
    public static async Task<TimeSpan> WaitForCatalogCopyAsync(DistributedApplication app, string service, int replicas, long version, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var urls = await ServiceMetrics.ReplicaUrlsAsync(app, service, replicas);
        using var http = new HttpClient { Timeout = QuestApiClient.RequestTimeout };
        await QuestApiClient.EventuallyAsync(async () =>
        {
            var held = new List<long>();
            foreach (var url in urls)
            {
                var health = await http.GetFromJsonAsync<JsonElement>(new Uri(url, "/health"), TestContext.Current.CancellationToken);
                var description = health.GetProperty("entries").TryGetProperty("catalog-copy", out var entry)
                    ? entry.GetProperty("description").GetString() ?? ""
                    : "";
                held.Add(long.TryParse(description[(description.LastIndexOf(' ') + 1)..], out var v) ? v : -1);
            }

            return held;
        }, held => held.All(v => v >= version), $"every {service} replica's catalog copy at version {version}", timeout);
        return clock.Elapsed;
    }

}
