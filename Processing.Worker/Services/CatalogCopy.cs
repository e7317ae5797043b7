using System.Collections.Immutable;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using QuestAspire.ServiceDefaults.Api;

namespace QuestAspire.Processing.Worker.Services;

/// <summary>
/// What a service keeps of one catalog quest. Each service declares its own record with the
/// fields it reads of Catalog.Api's quest snapshot (the wire shape may grow); the copy needs only
/// the id and the catalog version at which that snapshot was made.
/// </summary>
public interface ICatalogQuest
{
    Guid QuestId { get; }

    long Version { get; }
}

public sealed class CatalogCopyOptions
{
    public const string SectionName = "Catalog";

    /// <summary>Catalog.Api, resolved by service discovery: asked once per subscription for the whole catalog.</summary>
    [Required]
    public Uri BaseAddress { get; set; } = new($"http://{ResourceNames.CatalogApi}");
}

/// <summary>
/// A service's own copy of the catalog's quests, kept in memory and fed by <c>QuestChanged</c>
/// events; nothing on the event path asks Catalog.Api. A snapshot replaces the one held only when
/// its version is higher, so events and the bootstrap load may arrive in any order, twice, or
/// overlap, and the copy still ends at the newest version of every quest.
/// </summary>
public sealed class CatalogCopy<TQuest>
    where TQuest : class, ICatalogQuest
{
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ImmutableDictionary<Guid, TQuest> _quests = ImmutableDictionary<Guid, TQuest>.Empty;
    private long _generation;

    /// <summary>Every quest, by id, as of now (an immutable snapshot).</summary>
    public IReadOnlyDictionary<Guid, TQuest> Quests => Volatile.Read(ref _quests);

    /// <summary>Grows with every change, so a reader can cache what it derives from <see cref="Quests"/>.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    private long _version;

    /// <summary>The highest catalog version seen.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>The whole catalog has been loaded once; before that a quest that is not here may still exist.</summary>
    public bool IsLoaded => _loaded.Task.IsCompleted;

    /// <summary>Takes <paramref name="quest"/> if it is newer than the one held; true when it changed the copy.</summary>
    public bool Apply(TQuest quest) => Apply([quest]) > 0;

    /// <summary>Takes each quest that is newer than the one held; the number that changed the copy.</summary>
    public int Apply(IEnumerable<TQuest> quests)
    {
        lock (_lock)
        {
            var builder = _quests.ToBuilder();
            var changed = 0;
            foreach (var quest in quests)
            {
                if (!builder.TryGetValue(quest.QuestId, out var held) || held.Version < quest.Version)
                {
                    builder[quest.QuestId] = quest;
                    Interlocked.Exchange(ref _version, Math.Max(_version, quest.Version));
                    changed++;
                }
            }

            if (changed > 0)
            {
                Volatile.Write(ref _quests, builder.ToImmutable());
                Interlocked.Increment(ref _generation);
            }

            return changed;
        }
    }

    /// <summary>The whole catalog as Catalog.Api answered it: merged, then the copy counts as loaded.</summary>
    public void Load(IEnumerable<TQuest> quests)
    {
        Apply(quests);
        _loaded.TrySetResult();
    }

    /// <summary>Waits until the catalog has been loaded once.</summary>
    public Task WaitUntilLoadedAsync(CancellationToken cancellationToken) => _loaded.Task.WaitAsync(cancellationToken);
}

/// <summary>Applies <c>QuestChanged</c> events (and acknowledges <c>RewardChanged</c>, whose effect on quests comes as QuestChanged) to the service's <see cref="CatalogCopy{TQuest}"/>. In memory only: nothing here waits on I/O.</summary>
public sealed class QuestChangedHandler<TQuest>(CatalogCopy<TQuest> copy, ILogger<QuestChangedHandler<TQuest>> logger) : IIntegrationEventHandler
    where TQuest : class, ICatalogQuest
{
    public Task HandleAsync(EventBatch events, CancellationToken cancellationToken)
    {
        var quests = new List<TQuest>(events.Count);
        foreach (var received in events)
        {
            using var trace = received.EnterTrace();
            if (received.Event.EventType != EventNames.QuestChanged)
            {
                continue; // RewardChanged: every quest paying the reward gets a QuestChanged of its own
            }

            // Malformed data throws JsonException: a permanent failure, dead-lettered with the reason.
            var quest = received.Event.Data.TryGetProperty("quest", out var snapshot)
                ? snapshot.Deserialize<TQuest>(ApiDefaults.JsonOptions)
                : null;
            if (quest is null)
            {
                throw new PermanentEventException($"QuestChanged {received.Event.EventId} has no quest.");
            }

            received.Activity?.SetTag("quest.id", quest.QuestId);
            received.Activity?.SetTag("catalog.version", quest.Version);
            quests.Add(quest);
        }

        var changed = copy.Apply(quests);
        logger.LogDebug("Applied {Changed} of {Count} quest change(s); catalog copy at version {Version}", changed, quests.Count, copy.Version);
        return Task.CompletedTask;
    }
}

/// <summary>Loads the whole catalog over HTTP once the service's catalog queue is subscribed (and again after each resubscription).</summary>
public sealed class CatalogBootstrap<TQuest>(
    IHttpClientFactory httpClientFactory, CatalogCopy<TQuest> copy, TimeProvider timeProvider, ILogger<CatalogBootstrap<TQuest>> logger)
    where TQuest : class, ICatalogQuest
{
    public const string HttpClientName = "catalog-copy";
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);

    // Called after the queue exists: every change from now on is in the queue, every change
    // before is in this answer, and the version rule merges the two.
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                using var http = httpClientFactory.CreateClient(HttpClientName);
                var quests = await http.GetFromJsonAsync<List<TQuest>>("/api/quests?include_inactive=true", ApiDefaults.JsonOptions, cancellationToken)
                    ?? throw new JsonException("Catalog.Api answered null for its quests.");
                var changed = copy.Apply(quests);
                copy.Load([]);
                logger.Log(changed > 0 ? LogLevel.Information : LogLevel.Debug,
                    "Loaded {Count} quests from the catalog, {Changed} newer than held; copy at version {Version}", quests.Count, changed, copy.Version);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Loading the catalog failed; retrying in {Delay}", delay);
                await Task.Delay(delay, timeProvider, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
            }
        }
    }
}

/// <summary>
/// Loads the whole catalog again every <see cref="Interval"/> once it has been loaded: a safety net
/// for a change that reached no queue of this replica and was not yet in the read model its load
/// came from (the window is milliseconds, but a stalled projector would widen it). A load that
/// finds nothing newer changes nothing. Untraced: it serves no request.
/// </summary>
public sealed class CatalogResync<TQuest>(CatalogCopy<TQuest> copy, CatalogBootstrap<TQuest> bootstrap, TimeProvider timeProvider) : BackgroundService
    where TQuest : class, ICatalogQuest
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await copy.WaitUntilLoadedAsync(stoppingToken);
        using var timer = new PeriodicTimer(Interval, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            using var untraced = OpenTelemetry.SuppressInstrumentationScope.Begin();
            await bootstrap.LoadAsync(stoppingToken);
        }
    }
}

/// <summary>Reports whether the copy is loaded, and its size and version, in <c>/health</c>; not loaded yet is Degraded, not Unhealthy.</summary>
public sealed class CatalogCopyHealthCheck<TQuest>(CatalogCopy<TQuest> copy) : IHealthCheck
    where TQuest : class, ICatalogQuest
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(copy.IsLoaded
            ? HealthCheckResult.Healthy($"{copy.Quests.Count} quests at catalog version {copy.Version}")
            : HealthCheckResult.Degraded("the catalog has not been loaded yet"));
}

public static class CatalogCopyExtensions
{
    public const string HealthCheckName = "catalog-copy";

    /// <summary>
    /// Keeps a <see cref="CatalogCopy{TQuest}"/> of Catalog.Api's quests: a broadcast queue
    /// (<paramref name="queue"/>, one per replica) of <c>QuestChanged</c> events, and a bootstrap
    /// load over HTTP each time that queue is (re)subscribed.
    /// </summary>
    public static IHostApplicationBuilder AddCatalogCopy<TQuest>(this IHostApplicationBuilder builder, string queue)
        where TQuest : class, ICatalogQuest
    {
        builder.Services.AddOptions<CatalogCopyOptions>()
            .BindConfiguration(CatalogCopyOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddHttpClient(CatalogBootstrap<TQuest>.HttpClientName, (services, http) =>
            http.BaseAddress = services.GetRequiredService<IOptions<CatalogCopyOptions>>().Value.BaseAddress);
        builder.Services.AddSingleton<CatalogCopy<TQuest>>();
        builder.Services.AddSingleton<CatalogBootstrap<TQuest>>();
        builder.Services.AddHostedService<CatalogResync<TQuest>>();
        builder.Services.AddHealthChecks().AddCheck<CatalogCopyHealthCheck<TQuest>>(HealthCheckName);
        builder.AddEventConsumer<QuestChangedHandler<TQuest>>(queue, [EventNames.QuestChanged, EventNames.RewardChanged], options =>
        {
            options.Broadcast = true;
            options.OnSubscribed = (services, ct) => services.GetRequiredService<CatalogBootstrap<TQuest>>().LoadAsync(ct);
        });
        return builder;
    }
}
