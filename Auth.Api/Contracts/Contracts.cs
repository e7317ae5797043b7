using QuestAspire.Auth.Api.Model;
using QuestAspire.ServiceDefaults.Catalog;

namespace QuestAspire.Auth.Api.Contracts;

public sealed record SignUpRequest(string? UserName, string? Password);

/// <summary>
/// The form of <c>POST /login/access-token</c> (OAuth2 password grant, <c>application/x-www-form-urlencoded</c>).
/// The handler reads the form itself; this record only describes it in the OpenAPI document.
/// </summary>
public sealed record SignInForm(string Username, string Password);

public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn);

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

/// <summary>Operators and the benchmark create players in bulk: <c>POST /admin/users</c>.</summary>
public sealed record CreateUsersRequest(IReadOnlyList<SignUpRequest?>? Users);

public sealed record CreatedUser(Guid UserId, string UserName);

public sealed record CreateUsersResponse(IReadOnlyList<CreatedUser> Users);

public sealed record UserResponse(Guid UserId, string UserName, UserStatus Status, string Role, long Gold, long Diamond, string TimeZone)
{
    public static UserResponse From(User user) => new(user.Id, user.UserName, user.Status, user.Role, user.Gold, user.Diamond, user.TimeZone);
}

/// <summary><c>PUT /users/me/time-zone</c>: <c>{ "time_zone": "Asia/Tokyo" }</c>, an IANA id.</summary>
public sealed record TimeZoneRequest(string? TimeZone);

public sealed record WalletResponse(long Gold, long Diamond);

public sealed record ClaimResponse(
    Guid ClaimId, Guid QuestId, string QuestName, RewardItem RewardItem, int RewardQty, ClaimStatus Status,
    DateTimeOffset CreatedAt, DateTimeOffset? ClaimedAt)
{
    public static ClaimResponse From(RewardClaim claim) => new(
        claim.Id, claim.QuestId, claim.QuestName, claim.RewardItem, claim.RewardQty, claim.Status, claim.CreatedAt, claim.ClaimedAt);
}

public sealed record ClaimResultResponse(ClaimResponse Claim, WalletResponse Wallet);

/// <summary>A quest as Catalog.Api's snapshots describe it (only the fields Auth reads): Auth's own catalog copy holds these.</summary>
public sealed record CatalogQuest(Guid QuestId, string Name, bool AutoClaim, long Version, CatalogReward Reward) : ICatalogQuest;

public sealed record CatalogReward(Guid RewardId, string Name, RewardItem Item, int Qty);
