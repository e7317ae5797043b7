using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace QuestAspire.ServiceDefaults;

/// <summary>
/// What every QuestAspire service shares: telemetry, health endpoints, service discovery and
/// resilient HTTP clients.
/// </summary>
public static class Extensions
{
    public const string HealthPath = "/health";
    public const string AlivePath = "/alive";
    public const string MetricsPath = "/metrics";

    /// <summary>Our own activity sources and meters all start with this prefix.</summary>
    public const string TelemetryPrefix = "QuestAspire.";

    private const string LiveTag = "live";

    // The client integrations register these too; naming them here keeps the list of what a
    // service reports in one place, whichever integrations it happens to use.
    private static readonly string[] InfrastructureSources =
        ["Npgsql", "RabbitMQ.Client.Publisher", "RabbitMQ.Client.Subscriber", "OpenTelemetry.Instrumentation.StackExchangeRedis"];

    private static readonly string[] InfrastructureMeters =
        ["Npgsql", "Microsoft.EntityFrameworkCore", "RabbitMQ.Client"];

    /// <summary>
    /// Adds OpenTelemetry (logs, metrics, traces over OTLP), the default health checks, service
    /// discovery and the standard resilience handler for every <see cref="HttpClient"/>.
    /// </summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        return builder;
    }

    /// <summary>Configures OpenTelemetry logging, metrics and tracing for the service.</summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(InfrastructureMeters)
                .AddMeter(TelemetryPrefix + "*")
                // Every scrape reads the counters afresh (the default reuses an answer for 300 ms).
                .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(TelemetryPrefix + "*")
                .AddSource(InfrastructureSources)
                .AddAspNetCoreInstrumentation(options =>
                {
                    options.Filter = context => !IsHealthRequest(context.Request.Path) && !IsMetricsRequest(context.Request.Path);
                    // Blazor's and SignalR's own spans each start a new trace (a page route, a form
                    // event, a hub call), which would cut a sign-in from its form post. Web marks what a
                    // person did with spans of its own instead.
                    options.EnableRazorComponentsSupport = false;
                    options.EnableAspNetCoreSignalRSupport = false;
                })
                .AddHttpClientInstrumentation(options =>
                    options.FilterHttpRequestMessage = request => !IsHealthRequest(request.RequestUri?.AbsolutePath)));

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>Adds a liveness check; integrations add readiness checks for their servers.</summary>
    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);

        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> (every check, as JSON: ready to take traffic) and <c>/alive</c>
    /// (the process answers). Both are mapped in every environment: Kubernetes probes use them.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        // The probes' database and cache round trips would be a headless trace every few seconds.
        app.Use(async (context, next) =>
        {
            using var untraced = IsHealthRequest(context.Request.Path) ? SuppressInstrumentationScope.Begin() : null;
            await next(context);
        });
        app.MapHealthChecks(HealthPath, new HealthCheckOptions { ResponseWriter = WriteHealthReportAsync });
        app.MapHealthChecks(AlivePath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(LiveTag),
        });

        return app;
    }

    /// <summary>
    /// Maps <c>/metrics</c>: the service's meters in the Prometheus text format, for a scraper
    /// (or a test) that reads one replica's counters; the same instruments go to the dashboard
    /// over OTLP. Backend services only: Web is the public entry point and does not publish it.
    /// </summary>
    public static WebApplication MapMetricsEndpoint(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }

    private static bool IsMetricsRequest(string? path) =>
        path is not null && path.StartsWith(MetricsPath, StringComparison.OrdinalIgnoreCase);

    private static bool IsHealthRequest(string? path) =>
        path is not null
        && (path.StartsWith(HealthPath, StringComparison.OrdinalIgnoreCase)
            || path.StartsWith(AlivePath, StringComparison.OrdinalIgnoreCase));

    // The entries say which dependency failed without exposing exception details.
    private static Task WriteHealthReportAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            duration_ms = report.TotalDuration.TotalMilliseconds,
            entries = report.Entries.ToDictionary(
                entry => entry.Key,
                entry => new
                {
                    status = entry.Value.Status.ToString(),
                    duration_ms = entry.Value.Duration.TotalMilliseconds,
                    description = entry.Value.Description,
                }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }
}
