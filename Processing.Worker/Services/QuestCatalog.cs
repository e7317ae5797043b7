using QuestAspire.Quests;

namespace QuestAspire.Processing.Worker.Services;

/// <summary>
/// What the worker reads of a catalog quest snapshot (Catalog.Api's QuestResponse and QuestChanged; the wire shape may grow).
/// Its settings are absent from snapshots made before they existed: null reads as the seed quest's kind.
/// </summary>
public sealed record CatalogQuest(Guid QuestId, string Name, int Streak, int Duplication, bool AutoClaim, bool IsActive, long Version, CatalogReward Reward)
    : QuestSettingsRequest, ICatalogQuest;

/// <summary>A quest's reward as the catalog snapshot carries it.</summary>
public sealed record CatalogReward(string Item, int Qty);

/// <summary>
/// The catalog's quests at one version: all of them by id (names for the read API), the active
/// ones (which events count toward), and the catalog's snapshots they were made from (stored as
/// <see cref="QuestVersion"/>s, so a replay can count with them again).
/// </summary>
public sealed record QuestSnapshot(IReadOnlyDictionary<Guid, QuestRule> Quests, IReadOnlyList<QuestRule> Active, long Version)
{
    public IReadOnlyList<CatalogQuest> Sources { get; init; } = [];
}

/// <summary>
/// The worker's quests as rules, derived from its own <see cref="CatalogCopy{TQuest}"/> (fed by
/// catalog events) and rebuilt only when the copy changes. No event or request waits on Catalog.Api;
/// only before the first load does a read wait.
/// </summary>
public sealed class QuestCatalog(CatalogCopy<CatalogQuest> copy, ILogger<QuestCatalog> logger)
{
    private sealed record Cached(long Generation, QuestSnapshot Snapshot);

    private Cached? _current;
    private long _recordedVersion;

    public bool IsLoaded => copy.IsLoaded;

    /// <summary>The highest catalog version this replica has stored as <see cref="QuestVersion"/>s (see <see cref="MarkRecorded"/>).</summary>
    public long RecordedVersion => Interlocked.Read(ref _recordedVersion);

    /// <summary>Notes that the snapshot of <paramref name="version"/> is stored (after its transaction committed).</summary>
    public void MarkRecorded(long version)
    {
        var held = Interlocked.Read(ref _recordedVersion);
        while (version > held && Interlocked.CompareExchange(ref _recordedVersion, version, held) != held)
        {
            held = Interlocked.Read(ref _recordedVersion);
        }
    }

    /// <summary>The current rules; waits until the catalog has been loaded once.</summary>
    public async ValueTask<QuestSnapshot> GetAsync(CancellationToken cancellationToken)
    {
        if (!copy.IsLoaded)
        {
            await copy.WaitUntilLoadedAsync(cancellationToken);
        }

        return Current();
    }

    /// <summary>The current rules, loaded or not.</summary>
    public QuestSnapshot Current()
    {
        var generation = copy.Generation;
        if (Volatile.Read(ref _current) is { } current && current.Generation == generation)
        {
            return current.Snapshot;
        }

        // Two readers may both rebuild; either result is right for its generation.
        var snapshot = CreateSnapshot(copy.Quests.Values, copy.Version, logger);
        Volatile.Write(ref _current, new Cached(generation, snapshot));
        return snapshot;
    }

    /// <summary>The rules of these catalog snapshots; a quest the rules cannot use is left out with a warning.</summary>
    public static QuestSnapshot CreateSnapshot(IEnumerable<CatalogQuest> quests, long version, ILogger logger)
    {
        var sources = quests.OrderBy(q => q.QuestId).ToList();
        var all = new Dictionary<Guid, QuestRule>();
        var active = new List<QuestRule>();
        foreach (var quest in sources)
        {
            QuestRule rule;
            try
            {
                // A snapshot is checked here, not trusted: JSON does not enforce non-null members.
                ArgumentNullException.ThrowIfNull(quest.Reward);
                ArgumentException.ThrowIfNullOrEmpty(quest.Name);
                rule = ToRule(quest);
            }
            catch (ArgumentException e)
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

        return new QuestSnapshot(all, active, version) { Sources = sources };
    }

    /// <summary>The rule a catalog snapshot describes; throws <see cref="ArgumentException"/> for a field the rules cannot use.</summary>
    public static QuestRule ToRule(CatalogQuest quest) => new(quest.QuestId, quest.Name, quest.Streak, quest.Duplication)
    {
        AutoClaim = quest.AutoClaim,
        RewardItem = quest.Reward.Item,
        RewardQty = quest.Reward.Qty,
        Version = quest.Version,
        EventType = string.IsNullOrEmpty(quest.EventType) ? QuestRule.SignInType : quest.EventType,
        Kind = quest.Kind switch
        {
            null or "count" => QuestKind.Count,
            "daily_streak" => QuestKind.DailyStreak,
            _ => throw new ArgumentException($"Unknown kind '{quest.Kind}'.", nameof(quest)),
        },
        Freezes = quest.Freezes is null or >= 0 ? quest.Freezes ?? 0 : throw new ArgumentException("freezes is negative.", nameof(quest)),
        Reset = QuestSchedule.TryParse(quest.Reset, out var error) ?? throw new ArgumentException(error, nameof(quest)),
        StartsAt = quest.StartsAt,
        EndsAt = quest.EndsAt,
        PreconditionIds = quest.PreconditionIds ?? [],
        ValueMode = quest.ValueMode switch
        {
            null or "count" => ValueMode.Count,
            "sum" => ValueMode.Sum,
            _ => throw new ArgumentException($"Unknown value_mode '{quest.ValueMode}'.", nameof(quest)),
        },
    };
}
