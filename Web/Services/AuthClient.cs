using QuestAspire.ServiceDefaults.Api;
using QuestAspire.Web.Contracts;

namespace QuestAspire.Web.Services;

/// <summary>Auth.Api: sign-up, sign-in, the profile and wallet, reward claims.</summary>
public sealed class AuthClient(HttpClient http, UserSession session, WebTelemetry telemetry) : ApiClient(http, session)
{
    protected override string ServiceName => "The account service";

    public Task<ApiResult<UserProfile>> SignUpAsync(string userName, string password, CancellationToken cancellationToken) =>
        SendAsync<UserProfile>(HttpMethod.Post, "/users/signup",
            JsonContent.Create(new SignUpRequest(userName, password), options: ApiDefaults.JsonOptions),
            cancellationToken, authorize: false);

    /// <summary>
    /// The OAuth2 password form; every sign-in counts toward the user's quests. Its span starts
    /// the trace that follows the sign-in through Auth and the worker to the reward.
    /// </summary>
    public async Task<ApiResult<TokenResponse>> SignInAsync(string userName, string password, CancellationToken cancellationToken)
    {
        using var activity = telemetry.Start("sign-in");
        var result = await SendAsync<TokenResponse>(HttpMethod.Post, "/login/access-token",
            new FormUrlEncodedContent([new("username", userName), new("password", password)]),
            cancellationToken, authorize: false);
        activity?.SetTag("sign_in.succeeded", result.Value is not null);
        return result;
    }

    /// <summary>The profile and wallet; <paramref name="accessToken"/> is for the moment of sign-in, before the cookie exists.</summary>
    public Task<ApiResult<UserProfile>> GetMeAsync(CancellationToken cancellationToken, string? accessToken = null) =>
        SendAsync<UserProfile>(HttpMethod.Get, "/users/me", content: null, cancellationToken, accessToken);

    /// <summary>The player's IANA time zone (204); an unknown one is a field error on <c>time_zone</c>.</summary>
    public Task<ApiResult<NoContent>> SetTimeZoneAsync(string? timeZone, CancellationToken cancellationToken) =>
        PutJsonAsync<NoContent>("/users/me/time-zone", new TimeZoneRequest(timeZone), cancellationToken);

    public Task<ApiResult<RewardClaim[]>> GetClaimsAsync(CancellationToken cancellationToken) =>
        GetAsync<RewardClaim[]>("/users/me/claims", cancellationToken);

    /// <summary>Claiming is a trace of its own, not part of the sign-in that earned the reward.</summary>
    public async Task<ApiResult<ClaimResult>> ClaimAsync(Guid claimId, CancellationToken cancellationToken)
    {
        using var activity = telemetry.StartTrace("claim reward");
        activity?.SetTag("claim.id", claimId);
        var result = await PostJsonAsync<ClaimResult>($"/users/me/claims/{claimId}/claim", body: null, cancellationToken);
        if (result.Value is { } claimed)
        {
            activity?.SetTag("reward.item", claimed.Claim.RewardItem);
            activity?.SetTag("reward.qty", claimed.Claim.RewardQty);
        }

        return result;
    }

    protected override string DescribeStatus(int status) => status switch
    {
        StatusCodes.Status429TooManyRequests => "Too many sign-in attempts. Wait a few seconds and try again.",
        StatusCodes.Status503ServiceUnavailable => "Sign-in is busy right now. Try again in a second.",
        _ => base.DescribeStatus(status),
    };
}
