namespace QuestAspire.Auth.Api.Model;

/// <summary>Why a change was not applied; nothing was written.</summary>
public enum WalletRefusal
{
    UserNotFound,

    /// <summary>The caller's <c>If-Match</c> names a version the wallet no longer has.</summary>
    StaleVersion,

    /// <summary>A debit larger than the balance: a balance never goes below zero.</summary>
    InsufficientFunds,

    /// <summary>A credit past the most a 64-bit balance holds.</summary>
    Overflow,
}

/// <summary>One change to decide, with the wallet version its <c>If-Match</c> names (null: any version).</summary>
public sealed record WalletWrite(WalletChange Change, long? ExpectedVersion = null);

/// <summary>
/// The outcome of one change: the wallet after it, its new entry's id and the item's balance
/// after it, or why nothing changed (with the wallet as it was, when there is one).
/// </summary>
public sealed record WalletOutcome(WalletState? Wallet, Guid EntryId, WalletRefusal? Refusal, WalletState? Current = null)
{
    public bool Applied => Refusal is null;

    public static WalletOutcome Refused(WalletRefusal refusal, WalletState? current) => new(null, Guid.Empty, refusal, current);

    /// <summary>The balance of <paramref name="item"/> in <paramref name="wallet"/>.</summary>
    public static long Balance(WalletState wallet, RewardItem item) => item == RewardItem.Gold ? wallet.Gold : wallet.Diamond;
}

/// <summary>
/// Decides a batch of changes against the wallets as they were read (locked), one after the
/// other in the batch's order: each sees the balance and version the one before it left, so a
/// batch decides exactly what the same changes one transaction each would have, in that order.
/// Pure: the caller writes what it decides (balances, entries) in one transaction.
/// </summary>
public static class WalletBatch
{
    /// <param name="writes">The changes, in the order they are applied.</param>
    /// <param name="wallets">The wallets of the batch's players as read, by user id (a player missing is not found); updated in place to the final wallets.</param>
    /// <param name="newEntryId">The id of each applied change's ledger entry.</param>
    public static WalletOutcome[] Decide(IReadOnlyList<WalletWrite> writes, IDictionary<Guid, WalletState> wallets, Func<Guid> newEntryId)
    {
        var outcomes = new WalletOutcome[writes.Count];
        for (var i = 0; i < writes.Count; i++)
        {
            var (change, expected) = writes[i];
            ArgumentOutOfRangeException.ThrowIfZero(change.Amount);
            if (!wallets.TryGetValue(change.UserId, out var wallet))
            {
                outcomes[i] = WalletOutcome.Refused(WalletRefusal.UserNotFound, null);
                continue;
            }

            if (expected is { } version && version != wallet.Version)
            {
                outcomes[i] = WalletOutcome.Refused(WalletRefusal.StaleVersion, wallet);
                continue;
            }

            var balance = WalletOutcome.Balance(wallet, change.Item);
            if (change.Amount > 0 ? balance > long.MaxValue - change.Amount : balance + change.Amount < 0)
            {
                outcomes[i] = WalletOutcome.Refused(change.Amount > 0 ? WalletRefusal.Overflow : WalletRefusal.InsufficientFunds, wallet);
                continue;
            }

            wallet = change.Item == RewardItem.Gold
                ? wallet with { Gold = balance + change.Amount, Version = wallet.Version + 1 }
                : wallet with { Diamond = balance + change.Amount, Version = wallet.Version + 1 };
            wallets[change.UserId] = wallet;
            outcomes[i] = new WalletOutcome(wallet, newEntryId(), null);
        }

        return outcomes;
    }
}
