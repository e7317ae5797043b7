namespace QuestAspire.Web.Contracts;

// The shapes Auth.Api answers with (snake_case on the wire). Enums stay strings here: the Web
// shows them and sends none back, so a value added by the API cannot break a page.

public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn);

// Wallets are 64-bit in Auth (one quest can pay up to 10^10 over its life): read them as long.
public sealed record UserProfile(Guid UserId, string UserName, string Status, string Role, long Gold, long Diamond)
{
    /// <summary>The player's IANA time zone; quests reset and count days in it.</summary>
    public string TimeZone { get; init; } = "UTC";

    public Wallet Wallet => new(Gold, Diamond);
}

public sealed record Wallet(long Gold, long Diamond);

public sealed record RewardClaim(
    Guid ClaimId,
    Guid QuestId,
    string QuestName,
    string RewardItem,
    int RewardQty,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ClaimedAt)
{
    public const string PendingStatus = "Pending";

    public bool IsPending => Status == PendingStatus;
}

public sealed record ClaimResult(RewardClaim Claim, Wallet Wallet);

public sealed record SignUpRequest(string UserName, string Password);

/// <summary>The body of <c>PUT /users/me/time-zone</c>.</summary>
public sealed record TimeZoneRequest(string? TimeZone);
