using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace QuestAspire.Processing.Worker.Services;

/// <summary>The catalog's quests at one moment: all of them by id (names for the read API), and the active ones (which sign-ins count toward).</summary>
public sealed record QuestSnapshot(IReadOnlyDictionary<Guid, QuestRule> Quests, IReadOnlyList<QuestRule> Active, DateTimeOffset LoadedAt);

/// <summary>The catalog has never answered, so there is no copy of its quests to work from.</summary>
public sealed class CatalogUnavailableException(string message, Exception innerException) : Exception(message, innerException);

/// <summary>
/// Keeps Catalog.Api's quests in memory, so no event or request waits on an HTTP call. The first
/// read loads them; a copy older than <see cref="CatalogOptions.RefreshInterval"/> is still
/// returned while one background refresh replaces it. A failed refresh keeps the last good
/// copy; only when there never was one does a read throw <see cref="CatalogUnavailableException"/>.
/// </summary>
public sealed class QuestCatalog(
    IServiceScopeFactory scopeFactory,
    IOptions<CatalogOptions> options,
    ProcessingTelemetry telemetry,
    TimeProvider timeProvider,
    ILogger<QuestCatalog> logger) : IDisposable
{
    private readonly TimeSpan _refreshInterval = options.Value.RefreshInterval;
    private readonly SemaphoreSlim _refreshLock = new(1, 1);
    private readonly CancellationTokenSource _disposed = new();
    private volatile QuestSnapshot? _snapshot;
    private long _nextRefreshTicks;
    private int _backgroundRefreshRunning;

    public async ValueTask<QuestSnapshot> GetAsync(CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        if (snapshot is null)
        {
            return await RefreshAsync(cancellationToken);
        }

        if (IsStale() && Interlocked.CompareExchange(ref _backgroundRefreshRunning, 1, 0) == 0)
        {
            _ = Task.Run(RefreshInBackgroundAsync, CancellationToken.None);
        }

        return snapshot;
    }

    /// <summary>Fetches the quests now, unless another caller just did; returns the copy in use afterwards.</summary>
    public async Task<QuestSnapshot> RefreshAsync(CancellationToken cancellationToken)
    {
        await _refreshLock.WaitAsync(cancellationToken);
        try
        {
            var current = _snapshot;
            if (current is not null && !IsStale())
            {
                return current;
            }

            try
            {
                var quests = await FetchAsync(cancellationToken);
                var snapshot = CreateSnapshot(quests);
                _snapshot = snapshot;
                logger.LogDebug("Loaded {Count} quests ({Active} active) from the catalog", snapshot.Quests.Count, snapshot.Active.Count);
                return snapshot;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                if (current is null)
                {
                    throw new CatalogUnavailableException("The quests could not be loaded from the catalog.", e);
                }

                logger.LogWarning(e, "Refreshing the quests from the catalog failed; keeping the copy loaded at {LoadedAt}", current.LoadedAt);
                return current;
            }
            finally
            {
                // After a failure too: a catalog that is down is asked again one interval later, not on every read.
                Interlocked.Exchange(ref _nextRefreshTicks, (timeProvider.GetUtcNow() + _refreshInterval).UtcTicks);
            }
        }
        finally
        {
            _refreshLock.Release();
        }
    }

    private bool IsStale() => timeProvider.GetUtcNow().UtcTicks >= Interlocked.Read(ref _nextRefreshTicks);

    // Its own trace: the refresh serves every event from now on, not the one whose read noticed the copy was old.
    private async Task RefreshInBackgroundAsync()
    {
        Activity.Current = null;
        using var activity = telemetry.ActivitySource.StartActivity("refresh quest catalog");
        try
        {
            await RefreshAsync(_disposed.Token);
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            // shutting down
        }
        catch (Exception e)
        {
            logger.LogError(e, "Background refresh of the quests failed");
        }
        finally
        {
            Volatile.Write(ref _backgroundRefreshRunning, 0);
        }
    }

    private async Task<IReadOnlyList<CatalogQuest>> FetchAsync(CancellationToken cancellationToken)
    {
        // A typed client per fetch, not one held by this singleton, so its handler is rotated as designed.
        await using var scope = scopeFactory.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CatalogClient>().GetQuestsAsync(cancellationToken);
    }

    private QuestSnapshot CreateSnapshot(IReadOnlyList<CatalogQuest> quests)
    {
        var all = new Dictionary<Guid, QuestRule>(quests.Count);
        var active = new List<QuestRule>(quests.Count);
        foreach (var quest in quests)
        {
            QuestRule rule;
            try
            {
                rule = new QuestRule(quest.QuestId, quest.Name, quest.Streak, quest.Duplication);
            }
            catch (ArgumentOutOfRangeException e)
            {
                // The catalog validates quests; one that slips through must not stop every other quest.
                logger.LogWarning(e, "Ignoring catalog quest {QuestId} ({Name}): {Reason}", quest.QuestId, quest.Name, e.Message);
                continue;
            }

            all[rule.QuestId] = rule;
            if (quest.IsActive)
            {
                active.Add(rule);
            }
        }

        return new QuestSnapshot(all, active, timeProvider.GetUtcNow());
    }

    // The source is cancelled, not disposed: a refresh still running may read its token.
    public void Dispose() => _disposed.Cancel();
}
