using System.Text.Json.Serialization;

namespace QuestAspire.Auth.Api.Model;

/// <summary>Why a balance changed.</summary>
public enum LedgerSource
{
    /// <summary>The balance a wallet held when the ledger began (one entry per player and item).</summary>
    [JsonStringEnumMemberName("opening")]
    Opening,

    /// <summary>A reward claim credited: <see cref="LedgerEntry.ReferenceId"/> is the claim, <see cref="LedgerEntry.QuestId"/> its quest.</summary>
    [JsonStringEnumMemberName("claim")]
    Claim,

    /// <summary>The player spent, for <see cref="LedgerEntry.Reason"/>.</summary>
    [JsonStringEnumMemberName("spend")]
    Spend,

    /// <summary>An admin (<see cref="LedgerEntry.ActorId"/>) changed the balance, saying why in <see cref="LedgerEntry.Reason"/>.</summary>
    [JsonStringEnumMemberName("admin_adjustment")]
    AdminAdjustment,

    /// <summary>An admin gave back a spend: <see cref="LedgerEntry.ReferenceId"/> is the spend's entry.</summary>
    [JsonStringEnumMemberName("refund")]
    Refund,
}

/// <summary>
/// One change of one balance. The ledger is append-only (a trigger refuses UPDATE and DELETE),
/// and a wallet's balance of an item is always the sum of its entries' amounts.
/// </summary>
public sealed class LedgerEntry
{
    public Guid Id { get; private set; }

    /// <summary>The order entries were written in, per database: the ledger's cursor.</summary>
    public long Sequence { get; private set; }

    public Guid UserId { get; private set; }

    public RewardItem Item { get; private set; }

    /// <summary>Negative for a debit.</summary>
    public long Amount { get; private set; }

    public long BalanceAfter { get; private set; }

    public LedgerSource Source { get; private set; }

    public Guid? ReferenceId { get; private set; }

    public Guid? QuestId { get; private set; }

    public string? Reason { get; private set; }

    public Guid? ActorId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
}

/// <summary>A change to apply to one balance: <see cref="Amount"/> is negative for a debit.</summary>
public sealed record WalletChange(
    Guid UserId, RewardItem Item, long Amount, LedgerSource Source, string? Reason,
    Guid? ReferenceId = null, Guid? QuestId = null, Guid? ActorId = null);

/// <summary>A wallet after a change: both balances and the version that <c>ETag</c> and <c>If-Match</c> carry.</summary>
public sealed record WalletState(long Gold, long Diamond, long Version);
