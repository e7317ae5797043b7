using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using QuestAspire.ServiceDefaults.Api;

namespace QuestAspire.Processing.Worker.Services;

/// <summary>
/// The quest definitions the worker counted events with, by catalog version (from
/// <see cref="QuestVersion"/>): <see cref="At"/> gives the catalog as the worker held it when it
/// processed an event of that <see cref="LoggedEvent.CatalogVersion"/>, so a replay of the log
/// counts with the quests live processing used, not with today's. Events logged before the worker
/// kept versions (0) are judged by the current catalog.
/// </summary>
public sealed class CatalogHistory
{
    private readonly Dictionary<Guid, List<CatalogQuest>> _versions;
    private readonly Dictionary<long, QuestSnapshot> _snapshots = [];
    private readonly QuestSnapshot _current;
    private readonly ILogger _logger;

    public CatalogHistory(IEnumerable<CatalogQuest> versions, QuestSnapshot current, ILogger logger)
    {
        _versions = versions.GroupBy(q => q.QuestId).ToDictionary(g => g.Key, g => g.OrderBy(q => q.Version).ToList());
        (_current, _logger) = (current, logger);
    }

    public static async Task<CatalogHistory> LoadAsync(ProcessingDbContext db, QuestSnapshot current, ILogger logger, CancellationToken cancellationToken)
    {
        var rows = await db.QuestVersions.AsNoTracking().Select(v => v.Definition).ToListAsync(cancellationToken);
        var versions = rows.Select(r => JsonSerializer.Deserialize<CatalogQuest>(r, ApiDefaults.JsonOptions)).OfType<CatalogQuest>();
        return new CatalogHistory(versions, current, logger);
    }

    /// <summary>The catalog at <paramref name="catalogVersion"/>: each quest's newest definition up to it.</summary>
    public QuestSnapshot At(long catalogVersion)
    {
        if (catalogVersion <= 0)
        {
            return _current;
        }

        if (!_snapshots.TryGetValue(catalogVersion, out var snapshot))
        {
            var held = _versions.Values.Select(v => v.LastOrDefault(q => q.Version <= catalogVersion)).OfType<CatalogQuest>();
            _snapshots[catalogVersion] = snapshot = QuestCatalog.CreateSnapshot(held, catalogVersion, _logger);
        }

        return snapshot;
    }
}
