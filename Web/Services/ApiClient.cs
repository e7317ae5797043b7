using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Polly;
using QuestAspire.ServiceDefaults.Api;

namespace QuestAspire.Web.Services;

/// <summary>
/// Calls one backend service (its <see cref="HttpClient"/> has the service-discovery base
/// address) with the signed-in user's token, and turns every failure — an error status, a
/// problem details body, a service that does not answer — into an <see cref="ApiError"/>.
/// </summary>
public abstract class ApiClient(HttpClient http, UserSession session)
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>How the service is named in messages, e.g. "The account service".</summary>
    protected abstract string ServiceName { get; }

    protected Task<ApiResult<T>> GetAsync<T>(string path, CancellationToken cancellationToken) =>
        SendAsync<T>(HttpMethod.Get, path, content: null, cancellationToken);

    protected Task<ApiResult<T>> PostJsonAsync<T>(string path, object? body, CancellationToken cancellationToken) =>
        SendAsync<T>(HttpMethod.Post, path, body is null ? null : JsonContent.Create(body, options: ApiDefaults.JsonOptions), cancellationToken);

    /// <summary>
    /// A write an app may retry: <paramref name="idempotencyKey"/> names the user's action, so the
    /// same action sent again (after an answer that never arrived) is answered, not applied, twice;
    /// <paramref name="ifMatch"/> is the version the user saw (a stale one answers 412).
    /// </summary>
    protected Task<ApiResult<T>> PostIdempotentAsync<T>(string path, object body, Guid idempotencyKey, CancellationToken cancellationToken, long? ifMatch = null) =>
        SendAsync<T>(HttpMethod.Post, path, JsonContent.Create(body, options: ApiDefaults.JsonOptions), cancellationToken, headers: headers =>
        {
            headers.Add(IdempotencyKeyHeader, idempotencyKey.ToString());
            if (ifMatch is { } version)
            {
                headers.IfMatch.Add(new EntityTagHeaderValue($"\"{version.ToString(CultureInfo.InvariantCulture)}\""));
            }
        });

    protected Task<ApiResult<T>> PutJsonAsync<T>(string path, object body, CancellationToken cancellationToken) =>
        SendAsync<T>(HttpMethod.Put, path, JsonContent.Create(body, options: ApiDefaults.JsonOptions), cancellationToken);

    protected async Task<ApiResult<T>> SendAsync<T>(
        HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken, string? accessToken = null, bool authorize = true,
        Action<HttpRequestHeaders>? headers = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        headers?.Invoke(request.Headers);
        if (authorize)
        {
            accessToken ??= (await session.GetUserAsync())?.AccessToken;
            if (accessToken is null)
            {
                return ApiResult.Failure<T>(new ApiError("You are not signed in. Sign in to continue.", StatusCodes.Status401Unauthorized));
            }

            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode && typeof(T) == typeof(NoContent))
            {
                return ApiResult.Success((T)(object)NoContent.Instance);
            }

            if (response.IsSuccessStatusCode)
            {
                var value = await response.Content.ReadFromJsonAsync<T>(ApiDefaults.JsonOptions, cancellationToken);
                return value is null
                    ? ApiResult.Failure<T>(new ApiError($"{ServiceName} gave an empty answer. Try again in a moment.", (int)response.StatusCode))
                    : ApiResult.Success(value);
            }

            return ApiResult.Failure<T>(await ReadErrorAsync(response, cancellationToken));
        }
        catch (Exception e) when (IsUnreachable(e, cancellationToken))
        {
            return ApiResult.Failure<T>(new ApiError($"{ServiceName} cannot be reached right now. Try again in a moment."));
        }
        catch (JsonException)
        {
            return ApiResult.Failure<T>(new ApiError($"{ServiceName} gave an answer this page does not understand. Try again in a moment."));
        }
    }

    /// <summary>The message for a status the API gave no <c>detail</c> for; a subclass may say it better.</summary>
    protected virtual string DescribeStatus(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => "Your session has expired. Sign in again.",
        StatusCodes.Status403Forbidden => "You are not allowed to do that.",
        StatusCodes.Status404NotFound => "That no longer exists.",
        StatusCodes.Status429TooManyRequests => "Too many requests. Wait a few seconds and try again.",
        >= 500 => $"{ServiceName} had a problem (HTTP {status}). Try again in a moment.",
        _ => $"{ServiceName} refused the request (HTTP {status}).",
    };

    private async Task<ApiError> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        ProblemBody? problem = null;
        if (response.Content.Headers.ContentType?.MediaType is { } mediaType && mediaType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                problem = await response.Content.ReadFromJsonAsync<ProblemBody>(ApiDefaults.JsonOptions, cancellationToken);
            }
            catch (JsonException)
            {
                // Not a problem details body: the status alone says what happened.
            }
        }

        // 5xx details are for operators (and the logs), not for the page.
        var message = status < 500 && !string.IsNullOrWhiteSpace(problem?.Detail)
            ? problem.Detail
            : DescribeStatus(status);
        return new ApiError(message, status, problem?.Errors);
    }

    // A refused connection, a DNS failure, the resilience pipeline's timeout or open circuit:
    // all mean the service is not answering. A cancellation the caller asked for is not one.
    private static bool IsUnreachable(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException or ExecutionRejectedException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private sealed record ProblemBody(string? Title, string? Detail, int? Status, Dictionary<string, string[]>? Errors);
}
