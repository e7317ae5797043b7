using QuestAspire.ServiceDefaults.Api;
using QuestAspire.Web.Contracts;

namespace QuestAspire.Web.Services;

/// <summary>Auth.Api: sign-up, sign-in, the profile and wallet, reward claims.</summary>
public sealed class AuthClient(HttpClient http, UserSession session) : ApiClient(http, session)
{
    protected override string ServiceName => "The account service";

    public Task<ApiResult<UserProfile>> SignUpAsync(string userName, string password, CancellationToken cancellationToken) =>
        SendAsync<UserProfile>(HttpMethod.Post, "/users/signup",
            JsonContent.Create(new SignUpRequest(userName, password), options: ApiDefaults.JsonOptions),
            cancellationToken, authorize: false);

    /// <summary>The OAuth2 password form; every sign-in counts toward the user's quests.</summary>
    public Task<ApiResult<TokenResponse>> SignInAsync(string userName, string password, CancellationToken cancellationToken) =>
        SendAsync<TokenResponse>(HttpMethod.Post, "/login/access-token",
            new FormUrlEncodedContent([new("username", userName), new("password", password)]),
            cancellationToken, authorize: false);

    /// <summary>The profile and wallet; <paramref name="accessToken"/> is for the moment of sign-in, before the cookie exists.</summary>
    public Task<ApiResult<UserProfile>> GetMeAsync(CancellationToken cancellationToken, string? accessToken = null) =>
        SendAsync<UserProfile>(HttpMethod.Get, "/users/me", content: null, cancellationToken, accessToken);

    public Task<ApiResult<RewardClaim[]>> GetClaimsAsync(CancellationToken cancellationToken) =>
        GetAsync<RewardClaim[]>("/users/me/claims", cancellationToken);

    public Task<ApiResult<ClaimResult>> ClaimAsync(Guid claimId, CancellationToken cancellationToken) =>
        PostJsonAsync<ClaimResult>($"/users/me/claims/{claimId}/claim", body: null, cancellationToken);

    protected override string DescribeStatus(int status) => status switch
    {
        StatusCodes.Status429TooManyRequests => "Too many sign-in attempts. Wait a few seconds and try again.",
        _ => base.DescribeStatus(status),
    };
}
