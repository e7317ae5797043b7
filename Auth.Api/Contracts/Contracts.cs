using QuestAspire.Auth.Api.Model;

namespace QuestAspire.Auth.Api.Contracts;

public sealed record SignUpRequest(string? UserName, string? Password);

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
