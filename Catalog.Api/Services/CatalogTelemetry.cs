using System.Diagnostics;
using System.Diagnostics.Metrics;
using QuestAspire.ServiceDefaults.Telemetry;

namespace QuestAspire.Catalog.Api.Services;

/// <summary>The catalog's spans and cache counters, on the service's <c>QuestAspire.Catalog</c> source and meter.</summary>
public sealed class CatalogTelemetry
{
    public const string Service = "Catalog";

    private readonly Counter<long> _hits;
    private readonly Counter<long> _misses;

    public CatalogTelemetry(ServiceTelemetry telemetry)
    {
        ActivitySource = telemetry.ActivitySource;
        _hits = telemetry.Meter.CreateCounter<long>("catalog.cache.hits", unit: "{read}", description: "Catalog reads answered from Redis.");
        _misses = telemetry.Meter.CreateCounter<long>("catalog.cache.misses", unit: "{read}", description: "Catalog reads that went to the database.");
    }

    public ActivitySource ActivitySource { get; }

    public void CacheHit(string entity) => _hits.Add(1, new KeyValuePair<string, object?>("entity", entity));

    public void CacheMiss(string entity) => _misses.Add(1, new KeyValuePair<string, object?>("entity", entity));
}
