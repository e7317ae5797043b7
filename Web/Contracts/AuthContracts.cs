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

// The wallet records carry only what the JSON has (no derived members): a test matches them
// against Auth's OpenAPI schemas property by property.

/// <summary>
/// <c>GET /users/me/wallet</c> and an admin's view of a player's: the balances and the wallet's
/// version, which is also its <c>ETag</c> (a write with a stale <c>If-Match</c> answers 412).
/// </summary>
public sealed record WalletBalance(long Gold, long Diamond, long Version);

/// <summary>
/// One change of a balance, newest first. <see cref="ReferenceId"/> is the claim of a
/// <c>claim</c> and the refunded entry of a <c>refund</c>; <see cref="Reason"/> is the quest's
/// name for a claim, the spend's reason or the admin's comment; <see cref="ActorId"/> the admin.
/// </summary>
public sealed record LedgerEntry(
    Guid EntryId,
    string Item,
    long Amount,
    long BalanceAfter,
    string Source,
    Guid? ReferenceId,
    Guid? QuestId,
    string? Reason,
    Guid? ActorId,
    DateTimeOffset CreatedAt);

/// <summary>A page of the ledger; <see cref="Next"/> goes back as <c>before</c> for the older entries, null at the first entry.</summary>
public sealed record LedgerPage(LedgerEntry[] Entries, long? Next);

/// <summary>The sources of ledger entries, as Auth names them.</summary>
public static class LedgerSources
{
    public const string Opening = "opening";
    public const string Claim = "claim";
    public const string Spend = "spend";
    public const string AdminAdjustment = "admin_adjustment";
    public const string Refund = "refund";
}

/// <summary>The body of <c>POST /users/me/wallet/spend</c>.</summary>
public sealed record SpendRequest(string Item, long Qty, string Reason);

/// <summary>The body of <c>POST /admin/users/{user_id}/wallet/adjust</c>: a signed, non-zero amount.</summary>
public sealed record AdjustWalletRequest(string? Item, long? Amount, string? Reason);

/// <summary>The body of <c>POST /admin/users/{user_id}/wallet/refund</c>: the spend to give back.</summary>
public sealed record RefundRequest(Guid EntryId, string? Reason);

/// <summary>What a spend, an adjustment or a refund answers: its entry and the wallet after it.</summary>
public sealed record WalletChange(Guid EntryId, long Gold, long Diamond, long Version);

/// <summary><c>GET /admin/wallets/verify</c>: the players whose balance is not the sum of their ledger.</summary>
public sealed record WalletVerification(int PlayersChecked, WalletMismatch[] Mismatches);

public sealed record WalletMismatch(Guid UserId, string Item, long Balance, long LedgerSum);
