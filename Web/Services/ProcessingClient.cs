using System.Globalization;
using QuestAspire.Web.Contracts;

namespace QuestAspire.Web.Services;

/// <summary>Processing.Worker's read API: a user's quest progress and event log.</summary>
public sealed class ProcessingClient(HttpClient http, UserSession session) : ApiClient(http, session)
{
    public const int PageSize = 20;

    protected override string ServiceName => "The quest progress service";

    public Task<ApiResult<QuestProgress[]>> GetProgressAsync(Guid userId, CancellationToken cancellationToken) =>
        GetAsync<QuestProgress[]>($"/api/users/{userId}/progress", cancellationToken);

    public Task<ApiResult<EventPage>> GetEventsAsync(Guid userId, int page, int pageSize, CancellationToken cancellationToken) =>
        GetAsync<EventPage>(string.Create(CultureInfo.InvariantCulture, $"/api/users/{userId}/events?page={page}&page_size={pageSize}"), cancellationToken);
}
