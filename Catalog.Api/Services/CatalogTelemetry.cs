using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace QuestAspire.Catalog.Api.Services;

/// <summary>The catalog's own spans and cache counters (ServiceDefaults exports every <c>QuestAspire.*</c> source and meter).</summary>
public sealed class CatalogTelemetry
{
    public const string Name = "QuestAspire.Catalog";

    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Counter<long> _hits;
    private readonly Counter<long> _misses;

    public CatalogTelemetry(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(Name);
        _hits = meter.CreateCounter<long>("catalog.cache.hits", unit: "{read}", description: "Catalog reads answered from Redis.");
        _misses = meter.CreateCounter<long>("catalog.cache.misses", unit: "{read}", description: "Catalog reads that went to the database.");
    }

    public void CacheHit(string entity) => _hits.Add(1, new KeyValuePair<string, object?>("entity", entity));

    public void CacheMiss(string entity) => _misses.Add(1, new KeyValuePair<string, object?>("entity", entity));
}
