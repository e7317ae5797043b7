using QuestAspire.Web.Contracts;

namespace QuestAspire.Web.Services;

/// <summary>Catalog.Api: quests and rewards; the writes need the admin role.</summary>
public sealed class CatalogClient(HttpClient http, UserSession session) : ApiClient(http, session)
{
    protected override string ServiceName => "The quest catalog";

    public Task<ApiResult<Quest[]>> GetQuestsAsync(bool includeInactive, CancellationToken cancellationToken) =>
        SendAsync<Quest[]>(HttpMethod.Get, includeInactive ? "/api/quests?include_inactive=true" : "/api/quests", content: null, cancellationToken, authorize: false);

    public Task<ApiResult<Reward[]>> GetRewardsAsync(bool includeInactive, CancellationToken cancellationToken) =>
        SendAsync<Reward[]>(HttpMethod.Get, includeInactive ? "/api/rewards?include_inactive=true" : "/api/rewards", content: null, cancellationToken, authorize: false);

    public Task<ApiResult<Quest>> CreateQuestAsync(QuestRequest request, CancellationToken cancellationToken) =>
        PostJsonAsync<Quest>("/api/quests", request, cancellationToken);

    public Task<ApiResult<Quest>> UpdateQuestAsync(Guid questId, QuestRequest request, CancellationToken cancellationToken) =>
        PutJsonAsync<Quest>($"/api/quests/{questId}", request, cancellationToken);

    public Task<ApiResult<Quest>> DeactivateQuestAsync(Guid questId, CancellationToken cancellationToken) =>
        PostJsonAsync<Quest>($"/api/quests/{questId}/deactivate", body: null, cancellationToken);

    public Task<ApiResult<Reward>> CreateRewardAsync(RewardRequest request, CancellationToken cancellationToken) =>
        PostJsonAsync<Reward>("/api/rewards", request, cancellationToken);

    public Task<ApiResult<Reward>> UpdateRewardAsync(Guid rewardId, RewardRequest request, CancellationToken cancellationToken) =>
        PutJsonAsync<Reward>($"/api/rewards/{rewardId}", request, cancellationToken);

    public Task<ApiResult<Reward>> DeactivateRewardAsync(Guid rewardId, CancellationToken cancellationToken) =>
        PostJsonAsync<Reward>($"/api/rewards/{rewardId}/deactivate", body: null, cancellationToken);
}
