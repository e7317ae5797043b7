using System.Globalization;
using QuestAspire.Web.Contracts;

namespace QuestAspire.Web.Services;

/// <summary>
/// Processing.Worker's API: a user's quest progress, event log and the explanation of a quest;
/// for admins, backtests of draft quests and rebuilds of progress from the log.
/// </summary>
public sealed class ProcessingClient(HttpClient http, UserSession session) : ApiClient(http, session)
{
    public const int PageSize = 20;

    protected override string ServiceName => "The quest progress service";

    public Task<ApiResult<QuestProgress[]>> GetProgressAsync(Guid userId, CancellationToken cancellationToken) =>
        GetAsync<QuestProgress[]>($"/api/users/{userId}/progress", cancellationToken);

    public Task<ApiResult<EventPage>> GetEventsAsync(Guid userId, int page, int pageSize, CancellationToken cancellationToken) =>
        GetAsync<EventPage>(string.Create(CultureInfo.InvariantCulture, $"/api/users/{userId}/events?page={page}&page_size={pageSize}"), cancellationToken);

    public Task<ApiResult<QuestExplanation>> ExplainAsync(Guid userId, Guid questId, CancellationToken cancellationToken) =>
        GetAsync<QuestExplanation>($"/api/users/{userId}/quests/{questId}/explain", cancellationToken);

    public Task<ApiResult<BacktestResult>> BacktestAsync(BacktestRequest request, CancellationToken cancellationToken) =>
        PostJsonAsync<BacktestResult>("/api/admin/backtest", request, cancellationToken);

    public Task<ApiResult<RebuildStarted>> StartRebuildAsync(CancellationToken cancellationToken) =>
        PostJsonAsync<RebuildStarted>("/api/admin/progress/rebuild", body: null, cancellationToken);

    public Task<ApiResult<RebuildStatus>> GetRebuildAsync(Guid rebuildId, CancellationToken cancellationToken) =>
        GetAsync<RebuildStatus>($"/api/admin/progress/rebuild/{rebuildId}", cancellationToken);
}
