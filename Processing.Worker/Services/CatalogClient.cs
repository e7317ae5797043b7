using QuestAspire.ServiceDefaults.Api;

namespace QuestAspire.Processing.Worker.Services;

/// <summary>A quest as Catalog.Api serves it; only the fields the worker uses (the wire shape may grow).</summary>
public sealed record CatalogQuest(Guid QuestId, string Name, int Streak, int Duplication, bool IsActive);

/// <summary>Reads Catalog.Api's quests.</summary>
public sealed class CatalogClient(HttpClient http)
{
    public async Task<IReadOnlyList<CatalogQuest>> GetQuestsAsync(CancellationToken cancellationToken) =>
        await http.GetFromJsonAsync<List<CatalogQuest>>("/api/quests?include_inactive=true", ApiDefaults.JsonOptions, cancellationToken)
            ?? throw new InvalidOperationException("Catalog.Api answered null for its quests.");
}
