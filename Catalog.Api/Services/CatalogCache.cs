using System.Text.Json;
using Microsoft.Extensions.Options;
using QuestAspire.ServiceDefaults.Api;
using StackExchange.Redis;

namespace QuestAspire.Catalog.Api.Services;

/// <summary>
/// Read-through cache of catalog responses in Redis. Every key lives under a generation:
/// <c>catalog:{generation}:{key}</c>, with the current generation in <c>catalog:generation</c>.
/// A write bumps the generation, which retires every cached entry at once; old entries expire
/// by their TTL. A reader takes the generation before it reads the database, so a value it
/// loaded before a concurrent write is stored under the retired generation and never served.
/// Redis being down makes reads go to the database; it never fails a request.
/// </summary>
public sealed class CatalogCache(
    IConnectionMultiplexer redis, IOptions<CatalogCacheOptions> options, CatalogTelemetry telemetry, ILogger<CatalogCache> logger)
{
    public const string Prefix = "catalog:";
    public const string GenerationKey = Prefix + "generation";

    public static class Entities
    {
        public const string Quest = "quest";
        public const string Reward = "reward";
    }

    /// <summary>The Redis key of <paramref name="key"/> in <paramref name="generation"/>.</summary>
    public static string DataKey(long generation, string key) => $"{Prefix}{generation}:{key}";

    /// <summary>
    /// The cached value of <paramref name="key"/>, or else <paramref name="load"/>'s, which is
    /// cached unless it is null (unknown ids are not cached: anyone can ask for any number of them).
    /// </summary>
    public async Task<T?> GetOrLoadAsync<T>(string entity, string key, Func<CancellationToken, Task<T?>> load, CancellationToken cancellationToken)
        where T : class
    {
        using var activity = telemetry.ActivitySource.StartActivity($"catalog.cache {entity}");
        activity?.SetTag("catalog.cache.key", key);

        var database = redis.GetDatabase();
        long? generation = null;
        try
        {
            var current = await database.StringGetAsync(GenerationKey).WaitAsync(cancellationToken);
            generation = current.HasValue ? (long)current : 0;
            var cached = await database.StringGetAsync(DataKey(generation.Value, key)).WaitAsync(cancellationToken);
            if (cached.HasValue && JsonSerializer.Deserialize<T>((byte[])cached!, ApiDefaults.JsonOptions) is { } value)
            {
                telemetry.CacheHit(entity);
                activity?.SetTag("catalog.cache.hit", true);
                return value;
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException or JsonException)
        {
            logger.LogWarning(e, "Catalog cache read of {Key} failed; reading the database", key);
        }

        telemetry.CacheMiss(entity);
        activity?.SetTag("catalog.cache.hit", false);
        var loaded = await load(cancellationToken);
        if (loaded is not null && generation is { } loadedIn)
        {
            try
            {
                await database.StringSetAsync(DataKey(loadedIn, key), JsonSerializer.SerializeToUtf8Bytes(loaded, ApiDefaults.JsonOptions), options.Value.TimeToLive)
                    .WaitAsync(cancellationToken);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                logger.LogWarning(e, "Catalog cache write of {Key} failed", key);
            }
        }

        return loaded;
    }

    /// <summary>
    /// Retires every cached entry. Called after a write has committed, without the request's
    /// cancellation token: a committed write must not leave stale reads behind.
    /// </summary>
    public async Task InvalidateAsync()
    {
        try
        {
            var generation = await redis.GetDatabase().StringIncrementAsync(GenerationKey);
            logger.LogDebug("Catalog cache moved to generation {Generation}", generation);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // The write stands; entries of the old generation expire within the TTL.
            logger.LogError(e, "Catalog cache invalidation failed; cached reads may be stale for up to {TimeToLive}", options.Value.TimeToLive);
        }
    }
}
