using System.Globalization;
using QuestAspire.ServiceDefaults.Api;
using QuestAspire.Web.Contracts;

namespace QuestAspire.Web.Services;

/// <summary>Auth.Api: sign-up, sign-in, the profile, the wallet and its ledger, reward claims; the admin's wallet tools.</summary>
public sealed class AuthClient(HttpClient http, UserSession session, WebTelemetry telemetry) : ApiClient(http, session)
{
    /// <summary>Ledger entries asked for at a time (Auth allows 1 to 200).</summary>
    public const int LedgerPageSize = 50;

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

    /// <summary>The player's own wallet and its version.</summary>
    public Task<ApiResult<WalletBalance>> GetWalletAsync(CancellationToken cancellationToken) =>
        GetAsync<WalletBalance>("/users/me/wallet", cancellationToken);

    /// <summary>The player's ledger, newest first; <paramref name="before"/> is the <c>next</c> of the page before.</summary>
    public Task<ApiResult<LedgerPage>> GetLedgerAsync(long? before, CancellationToken cancellationToken, int limit = LedgerPageSize) =>
        GetAsync<LedgerPage>(LedgerPath("/users/me/wallet/ledger", before, limit), cancellationToken);

    /// <summary>Debits the player's wallet; 409 when the balance is too low, 412 when <paramref name="expectedVersion"/> is stale.</summary>
    public Task<ApiResult<WalletChange>> SpendAsync(SpendRequest request, Guid idempotencyKey, CancellationToken cancellationToken, long? expectedVersion = null) =>
        PostIdempotentAsync<WalletChange>("/users/me/wallet/spend", request, idempotencyKey, cancellationToken, expectedVersion);

    /// <summary>Admin: the player of that user name, if there is one.</summary>
    public async Task<ApiResult<UserProfile?>> FindUserAsync(string userName, CancellationToken cancellationToken)
    {
        var result = await GetAsync<UserProfile[]>($"/admin/users?user_name={Uri.EscapeDataString(userName)}", cancellationToken);
        return result.Value is { } users ? ApiResult.Success(users.FirstOrDefault()) : ApiResult.Failure<UserProfile?>(result.Error!);
    }

    /// <summary>Admin: a player's wallet.</summary>
    public Task<ApiResult<WalletBalance>> GetPlayerWalletAsync(Guid userId, CancellationToken cancellationToken) =>
        GetAsync<WalletBalance>($"/admin/users/{userId}/wallet", cancellationToken);

    /// <summary>Admin: a player's ledger, as <see cref="GetLedgerAsync"/>.</summary>
    public Task<ApiResult<LedgerPage>> GetPlayerLedgerAsync(Guid userId, long? before, CancellationToken cancellationToken, int limit = LedgerPageSize) =>
        GetAsync<LedgerPage>(LedgerPath($"/admin/users/{userId}/wallet/ledger", before, limit), cancellationToken);

    /// <summary>Admin: credits (a positive amount) or debits a player's wallet, with a reason; 409 when a debit exceeds the balance.</summary>
    public Task<ApiResult<WalletChange>> AdjustWalletAsync(Guid userId, AdjustWalletRequest request, Guid idempotencyKey, CancellationToken cancellationToken) =>
        PostIdempotentAsync<WalletChange>($"/admin/users/{userId}/wallet/adjust", request, idempotencyKey, cancellationToken);

    /// <summary>Admin: gives a player's spend back; 404 when it is no spend of theirs, 409 when it was refunded already.</summary>
    public Task<ApiResult<WalletChange>> RefundAsync(Guid userId, RefundRequest request, Guid idempotencyKey, CancellationToken cancellationToken) =>
        PostIdempotentAsync<WalletChange>($"/admin/users/{userId}/wallet/refund", request, idempotencyKey, cancellationToken);

    /// <summary>Admin: checks that each balance is the sum of its ledger, for one player or (<paramref name="userId"/> null) all.</summary>
    public Task<ApiResult<WalletVerification>> VerifyWalletsAsync(Guid? userId, CancellationToken cancellationToken) =>
        GetAsync<WalletVerification>(userId is { } id ? $"/admin/wallets/verify?user_id={id}" : "/admin/wallets/verify", cancellationToken);

    private static string LedgerPath(string path, long? before, int limit) =>
        before is { } cursor
            ? string.Create(CultureInfo.InvariantCulture, $"{path}?limit={limit}&before={cursor}")
            : string.Create(CultureInfo.InvariantCulture, $"{path}?limit={limit}");

    protected override string DescribeStatus(int status) => status switch
    {
        StatusCodes.Status429TooManyRequests => "Too many sign-in attempts. Wait a few seconds and try again.",
        StatusCodes.Status503ServiceUnavailable => "Sign-in is busy right now. Try again in a second.",
        _ => base.DescribeStatus(status),
    };
}
