using System.Net;
using QuestAspire.Auth.Api.Contracts;
using QuestAspire.ServiceDefaults.Api;

namespace QuestAspire.Auth.Api.Services;

/// <summary>Reads quests from Catalog.Api (service discovery and the standard resilience handler).</summary>
public sealed class CatalogClient(HttpClient http)
{
    public async Task<CatalogQuest?> GetQuestAsync(Guid questId, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"/api/quests/{questId}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<CatalogQuest>(ApiDefaults.JsonOptions, cancellationToken);
    }
}
