using QuestAspire.Auth.Api.Model;
using QuestAspire.ServiceDefaults.Catalog;

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

/// <summary>A wallet: its balances and its version (also its <c>ETag</c>), which counts its ledger entries.</summary>
public sealed record WalletResponse(long Gold, long Diamond, long Version)
{
    public static WalletResponse From(WalletState wallet) => new(wallet.Gold, wallet.Diamond, wallet.Version);
}

/// <summary><c>POST /users/me/wallet/spend</c>: <c>{ "item": "gold", "qty": 5, "reason": "hat" }</c>.</summary>
public sealed record SpendRequest(string? Item, long? Qty, string? Reason);

/// <summary><c>POST /admin/users/{id}/wallet/adjust</c>: a signed, non-zero amount and why.</summary>
public sealed record AdjustRequest(string? Item, long? Amount, string? Reason);

/// <summary><c>POST /admin/users/{id}/wallet/refund</c>: the spend's entry and why.</summary>
public sealed record RefundRequest(Guid? EntryId, string? Reason);

/// <summary>A change written: its ledger entry and the wallet after it.</summary>
public sealed record WalletChangeResponse(Guid EntryId, long Gold, long Diamond, long Version);

public sealed record LedgerEntryResponse(
    Guid EntryId, string Item, long Amount, long BalanceAfter, LedgerSource Source, Guid? ReferenceId, Guid? QuestId,
    string? Reason, Guid? ActorId, DateTimeOffset CreatedAt)
{
    public static LedgerEntryResponse From(LedgerEntry entry) => new(
        entry.Id, WalletRules.ItemName(entry.Item), entry.Amount, entry.BalanceAfter, entry.Source, entry.ReferenceId, entry.QuestId,
        entry.Reason, entry.ActorId, entry.CreatedAt);
}

/// <summary>A page of a ledger, newest first; <c>next</c> (when more) is the <c>before</c> of the next page.</summary>
public sealed record LedgerPageResponse(IReadOnlyList<LedgerEntryResponse> Entries, long? Next);

public sealed record WalletMismatchResponse(Guid UserId, string Item, long Balance, long LedgerSum);

/// <summary><c>GET /admin/wallets/verify</c>: no mismatch means every balance is the sum of its ledger.</summary>
public sealed record WalletVerificationResponse(int PlayersChecked, IReadOnlyList<WalletMismatchResponse> Mismatches);

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
