using System.Text;
using System.Text.Json;

namespace QuestAspire.Testing;

/// <summary>A span as the dashboard stored it: which service sent it, and where it hangs in its trace.</summary>
public sealed record TelemetrySpan(
    string Service, string Scope, string Name, string TraceId, string SpanId, string ParentSpanId,
    IReadOnlyDictionary<string, string> Attributes, bool IsError, long StartUnixNano)
{
    public string? this[string attribute] => Attributes.GetValueOrDefault(attribute);

    public override string ToString() => $"{Service}: {Name}";
}

/// <summary>A structured log record as the dashboard stored it.</summary>
public sealed record TelemetryLog(string Service, string Severity, string Message, string TraceId, string SpanId);

/// <summary>
/// Reads what the services sent to the Aspire dashboard, through the dashboard's telemetry HTTP
/// API (<c>/api/telemetry/...</c>, OTLP JSON, authenticated with the <c>x-api-key</c> header).
/// </summary>
public sealed class DashboardTelemetry(Uri dashboardUrl, string apiKey) : IDisposable
{
    /// <summary>Spans reach the dashboard in export batches, about a second apart.</summary>
    public static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(60);

    private readonly HttpClient _http = new() { BaseAddress = dashboardUrl, Timeout = QuestApiClient.RequestTimeout, DefaultRequestHeaders = { { "x-api-key", apiKey } } };

    public Uri Url => dashboardUrl;

    /// <summary>The raw answer of an API path, for scanning everything that was recorded.</summary>
    public async Task<string> GetRawAsync(string path)
    {
        using var response = await _http.GetAsync($"api/telemetry/{path}", TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"GET {path} on the dashboard answered {(int)response.StatusCode}: {body}");
        return body;
    }

    /// <summary>Spans whose name or attribute values contain <paramref name="search"/>.</summary>
    public async Task<IReadOnlyList<TelemetrySpan>> FindSpansAsync(string search) =>
        ParseSpans(await GetRawAsync($"spans?search={Uri.EscapeDataString(search)}"));

    public async Task<IReadOnlyList<TelemetrySpan>> GetTraceAsync(string traceId) =>
        ParseSpans(await GetRawAsync($"traces/{traceId}"));

    public async Task<IReadOnlyList<TelemetryLog>> GetTraceLogsAsync(string traceId) =>
        ParseLogs(await GetRawAsync($"logs?traceId={traceId}"));

    /// <summary>Polls the trace until <paramref name="complete"/> holds: its spans arrive from several services, each on its own schedule.</summary>
    public Task<IReadOnlyList<TelemetrySpan>> WaitForTraceAsync(string traceId, Func<IReadOnlyList<TelemetrySpan>, bool> complete, string what) =>
        QuestApiClient.EventuallyAsync(() => GetTraceAsync(traceId), complete, $"{what} (trace {traceId})", ArrivalTimeout);

    /// <summary>
    /// The trace in which Auth turned <paramref name="userId"/>'s first QuestCompleted into a
    /// claim: the trace of the sign-in that completed the quest.
    /// </summary>
    public async Task<string> FindRewardTraceAsync(Guid userId)
    {
        var spans = await QuestApiClient.EventuallyAsync(
            () => FindSpansAsync(userId.ToString()),
            found => found.Any(IsClaimHandling),
            $"auth-api's handling of the QuestCompleted of user {userId}",
            ArrivalTimeout);
        return spans.First(IsClaimHandling).TraceId;

        static bool IsClaimHandling(TelemetrySpan s) => s.Service == ResourceNames.AuthApi && s.Name == "process QuestCompleted";
    }

    /// <summary>The trace drawn as the dashboard's trace view does, one span a line, for failure messages.</summary>
    public static string Describe(IReadOnlyList<TelemetrySpan> spans)
    {
        var ids = spans.Select(s => s.SpanId).ToHashSet();
        var children = spans.ToLookup(s => ids.Contains(s.ParentSpanId) ? s.ParentSpanId : "");
        var text = new StringBuilder();
        void Write(string parent, int depth)
        {
            foreach (var span in children[parent].OrderBy(s => s.StartUnixNano))
            {
                text.Append(' ', depth * 2).Append(span).AppendLine(span.IsError ? " (error)" : "");
                Write(span.SpanId, depth + 1);
            }
        }

        Write("", 0);
        return text.ToString();
    }

    private static List<TelemetrySpan> ParseSpans(string json)
    {
        using var document = JsonDocument.Parse(json);
        var spans = new List<TelemetrySpan>();
        if (!document.RootElement.GetProperty("data").TryGetProperty("resourceSpans", out var resources))
        {
            return spans;
        }

        foreach (var resource in resources.EnumerateArray())
        {
            var service = ServiceName(resource);
            foreach (var scope in resource.GetProperty("scopeSpans").EnumerateArray())
            {
                var scopeName = scope.GetProperty("scope").GetProperty("name").GetString() ?? "";
                foreach (var span in scope.GetProperty("spans").EnumerateArray())
                {
                    spans.Add(new TelemetrySpan(
                        service, scopeName,
                        span.GetProperty("name").GetString() ?? "",
                        span.GetProperty("traceId").GetString() ?? "",
                        span.GetProperty("spanId").GetString() ?? "",
                        span.TryGetProperty("parentSpanId", out var parent) ? parent.GetString() ?? "" : "",
                        Attributes(span),
                        span.TryGetProperty("status", out var status) && status.TryGetProperty("code", out var code) && code.ToString() is "2" or "STATUS_CODE_ERROR",
                        long.Parse(span.GetProperty("startTimeUnixNano").ToString(), System.Globalization.CultureInfo.InvariantCulture)));
                }
            }
        }

        return spans;
    }

    private static List<TelemetryLog> ParseLogs(string json)
    {
        using var document = JsonDocument.Parse(json);
        var logs = new List<TelemetryLog>();
        if (!document.RootElement.GetProperty("data").TryGetProperty("resourceLogs", out var resources))
        {
            return logs;
        }

        foreach (var resource in resources.EnumerateArray())
        {
            var service = ServiceName(resource);
            foreach (var record in resource.GetProperty("scopeLogs").EnumerateArray().SelectMany(s => s.GetProperty("logRecords").EnumerateArray()))
            {
                logs.Add(new TelemetryLog(
                    service,
                    record.TryGetProperty("severityText", out var severity) ? severity.GetString() ?? "" : "",
                    record.TryGetProperty("body", out var body) ? AttributeValue(body) : "",
                    record.TryGetProperty("traceId", out var traceId) ? traceId.GetString() ?? "" : "",
                    record.TryGetProperty("spanId", out var spanId) ? spanId.GetString() ?? "" : ""));
            }
        }

        return logs;
    }

    private static string ServiceName(JsonElement resource) =>
        Attributes(resource.GetProperty("resource")).GetValueOrDefault("service.name") ?? "";

    private static Dictionary<string, string> Attributes(JsonElement element)
    {
        var attributes = new Dictionary<string, string>();
        if (element.TryGetProperty("attributes", out var list))
        {
            foreach (var attribute in list.EnumerateArray())
            {
                attributes[attribute.GetProperty("key").GetString() ?? ""] = AttributeValue(attribute.GetProperty("value"));
            }
        }

        return attributes;
    }

    // OTLP JSON: {"stringValue": "..."}, {"intValue": "3"}, {"boolValue": true}, ...
    private static string AttributeValue(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object && value.EnumerateObject().FirstOrDefault() is { Value: var inner } && inner.ValueKind != JsonValueKind.Undefined
            ? inner.ValueKind == JsonValueKind.String ? inner.GetString() ?? "" : inner.ToString()
            : value.ToString();

    public void Dispose() => _http.Dispose();
}

/// <summary>What every trace of one sign-in must look like.</summary>
public static class TraceAssert
{
    /// <summary>The spans from Auth's sign-in to the stored claim: both messaging hops, every step of the worker.</summary>
    public static readonly (string Service, string Name)[] SignInToReward =
    [
        (ResourceNames.AuthApi, "POST /login/access-token"),
        (ResourceNames.AuthApi, "sign-in"),
        (ResourceNames.AuthApi, "outbox relay "),
        (ResourceNames.AuthApi, "publish "),
        (ResourceNames.ProcessingWorker, "deliver "),
        (ResourceNames.ProcessingWorker, "process "),
        (ResourceNames.ProcessingWorker, "catalog lookup"),
        (ResourceNames.ProcessingWorker, "progress lock"),
        (ResourceNames.ProcessingWorker, "event-log write"),
        (ResourceNames.ProcessingWorker, "progress update"),
        (ResourceNames.ProcessingWorker, "commit"),
        (ResourceNames.ProcessingWorker, "outbox relay QuestCompleted"),
        (ResourceNames.ProcessingWorker, "publish QuestCompleted"),
        (ResourceNames.AuthApi, "deliver QuestCompleted"),
        (ResourceNames.AuthApi, "process QuestCompleted"),
        (ResourceNames.AuthApi, "claim store"),
    ];

    /// <summary>Whether the trace has a span of the expected service whose name starts with the expected name.</summary>
    public static bool Has(IReadOnlyList<TelemetrySpan> trace, (string Service, string Name) expected) =>
        trace.Any(s => s.Service == expected.Service && s.Name.StartsWith(expected.Name, StringComparison.Ordinal));

    public static bool HasAll(IReadOnlyList<TelemetrySpan> trace, IEnumerable<(string Service, string Name)> expected) =>
        expected.All(e => Has(trace, e));

    /// <summary>One root, and every other span's parent is in the trace: nothing was cut off and started a trace of its own.</summary>
    public static void IsOneTree(IReadOnlyList<TelemetrySpan> trace)
    {
        var ids = trace.Select(s => s.SpanId).ToHashSet();
        var roots = trace.Where(s => !ids.Contains(s.ParentSpanId)).ToList();
        Assert.True(roots.Count == 1, $"A trace has one root; this one has {roots.Count} ({string.Join(", ", roots)}):\n{DashboardTelemetry.Describe(trace)}");
    }

    public static TelemetrySpan OneSpan(IReadOnlyList<TelemetrySpan> trace, string service, string name, Func<TelemetrySpan, bool>? where = null)
    {
        var found = trace.Where(s => s.Service == service && s.Name.StartsWith(name, StringComparison.Ordinal) && (where?.Invoke(s) ?? true)).ToList();
        Assert.True(found.Count == 1, $"Expected one '{name}' span from {service}, found {found.Count}:\n{DashboardTelemetry.Describe(trace)}");
        return found[0];
    }
}
