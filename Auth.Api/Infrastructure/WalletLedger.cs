using Microsoft.EntityFrameworkCore;
using QuestAspire.Auth.Api.Model;
using QuestAspire.ServiceDefaults.Messaging;

namespace QuestAspire.Auth.Api.Infrastructure;

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

/// <summary>The outcome of one change: the wallet and the new entry's id, or why nothing changed.</summary>
public sealed record WalletOutcome(WalletState? Wallet, Guid EntryId, WalletRefusal? Refusal, WalletState? Current = null);

/// <summary>
/// The only code that changes a balance. Every change writes its ledger entry in the same
/// statement (or, for a batch of claims, the same transaction) as the balance, so a balance is
/// always the sum of its entries; <see cref="FindMismatchesAsync"/> proves it.
/// </summary>
public static class WalletLedger
{
    /// <summary>
    /// Applies one change as one statement: the balance and version change only if the wallet
    /// holds <paramref name="expectedVersion"/> (when given) and the result stays within 0 and
    /// <see cref="long.MaxValue"/>, and the entry is written from the new balance. Concurrent
    /// changes of one wallet queue on its row, and each sees the balance the one before left.
    /// </summary>
    public static async Task<WalletOutcome> ApplyAsync(this AuthDbContext db, WalletChange change, long? expectedVersion, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfZero(change.Amount);
        var entryId = Guid.CreateVersion7(now);
        var gold = change.Item == RewardItem.Gold;
        var goldDelta = gold ? change.Amount : 0;
        var diamondDelta = gold ? 0 : change.Amount;
        var item = change.Item.ToString();
        var source = change.Source.ToString();
        var rows = await db.Database.SqlQuery<WalletState>($"""
            WITH w AS (
                UPDATE users SET gold = gold + {goldDelta}, diamond = diamond + {diamondDelta}, wallet_version = wallet_version + 1
                WHERE user_id = {change.UserId}
                  AND ({expectedVersion}::bigint IS NULL OR wallet_version = {expectedVersion})
                  AND CASE WHEN {change.Amount} > 0
                      THEN (CASE WHEN {gold} THEN gold ELSE diamond END) <= {long.MaxValue} - {change.Amount}
                      ELSE (CASE WHEN {gold} THEN gold ELSE diamond END) + {change.Amount} >= 0 END
                RETURNING gold, diamond, wallet_version
            ), entry AS (
                INSERT INTO wallet_ledger (entry_id, user_id, item, amount, balance_after, source, reference_id, quest_id, reason, actor_id, created_at)
                SELECT {entryId}, {change.UserId}, {item}, {change.Amount}, CASE WHEN {gold} THEN w.gold ELSE w.diamond END,
                       {source}, {change.ReferenceId}, {change.QuestId}, {change.Reason}, {change.ActorId}, {now}
                FROM w
            )
            SELECT gold AS "Gold", diamond AS "Diamond", wallet_version AS "Version" FROM w
            """).ToListAsync(cancellationToken);
        if (rows.Count == 1)
        {
            return new WalletOutcome(rows[0], entryId, null);
        }

        // Nothing changed: say why, from the wallet as it is now.
        var current = await db.GetWalletAsync(change.UserId, cancellationToken);
        var refusal = current is null ? WalletRefusal.UserNotFound
            : expectedVersion is { } expected && current.Version != expected ? WalletRefusal.StaleVersion
            : change.Amount < 0 ? WalletRefusal.InsufficientFunds
            : WalletRefusal.Overflow;
        return new WalletOutcome(null, Guid.Empty, refusal, current);
    }

    public static async Task<WalletState?> GetWalletAsync(this AuthDbContext db, Guid userId, CancellationToken cancellationToken) =>
        (await db.Database.SqlQuery<WalletState>($"""
            SELECT gold AS "Gold", diamond AS "Diamond", wallet_version AS "Version" FROM users WHERE user_id = {userId}
            """).ToListAsync(cancellationToken)).SingleOrDefault();

    /// <summary>
    /// Credits a batch of auto-claimed claims with four statements whatever its size: lock the
    /// wallets in one order (two Auth replicas crediting the same users cannot deadlock), read
    /// them, set the new balances, and write one entry per claim with the balance after it.
    /// A credit past the most a wallet holds is a permanent failure, thrown before anything is written.
    /// </summary>
    public static async Task CreditClaimsAsync(this AuthDbContext db, IEnumerable<RewardClaim> claims, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var credited = claims.Where(c => c.Status == ClaimStatus.Claimed).OrderBy(c => c.UserId).ThenBy(c => c.CreatedAt).ToList();
        if (credited.Count == 0)
        {
            return;
        }

        var userIds = credited.Select(c => c.UserId).Distinct().ToArray();
        var wallets = (await db.Database.SqlQuery<LockedWallet>($"""
            SELECT user_id AS "UserId", gold AS "Gold", diamond AS "Diamond", wallet_version AS "Version"
            FROM users WHERE user_id = ANY({userIds}) ORDER BY user_id FOR UPDATE
            """).ToListAsync(cancellationToken)).ToDictionary(w => w.UserId);

        var entries = new List<(Guid Id, RewardClaim Claim, long BalanceAfter)>(credited.Count);
        foreach (var claim in credited)
        {
            var wallet = wallets[claim.UserId];
            try
            {
                wallet = claim.RewardItem == RewardItem.Gold
                    ? wallet with { Gold = checked(wallet.Gold + claim.RewardQty), Version = wallet.Version + 1 }
                    : wallet with { Diamond = checked(wallet.Diamond + claim.RewardQty), Version = wallet.Version + 1 };
            }
            catch (OverflowException e)
            {
                throw new PermanentEventException($"Claim {claim.Id} would take user {claim.UserId}'s {claim.RewardItem} past the most a wallet holds.", e);
            }

            wallets[claim.UserId] = wallet;
            entries.Add((Guid.CreateVersion7(now), claim, claim.RewardItem == RewardItem.Gold ? wallet.Gold : wallet.Diamond));
        }

        var final = wallets.Values.ToArray();
        var users = final.Select(w => w.UserId).ToArray();
        var gold = final.Select(w => w.Gold).ToArray();
        var diamond = final.Select(w => w.Diamond).ToArray();
        var versions = final.Select(w => w.Version).ToArray();
        await db.Database.ExecuteSqlAsync($"""
            UPDATE users AS u SET gold = c.gold, diamond = c.diamond, wallet_version = c.version
            FROM unnest({users}, {gold}, {diamond}, {versions}) AS c(user_id, gold, diamond, version)
            WHERE u.user_id = c.user_id
            """, cancellationToken);
        await db.InsertEntriesAsync(entries, now, cancellationToken);
    }

    private static async Task InsertEntriesAsync(this AuthDbContext db, List<(Guid Id, RewardClaim Claim, long BalanceAfter)> entries, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = entries.Select(e => e.Id).ToArray();
        var users = entries.Select(e => e.Claim.UserId).ToArray();
        var items = entries.Select(e => e.Claim.RewardItem.ToString()).ToArray();
        var amounts = entries.Select(e => (long)e.Claim.RewardQty).ToArray();
        var balances = entries.Select(e => e.BalanceAfter).ToArray();
        var claims = entries.Select(e => e.Claim.Id).ToArray();
        var quests = entries.Select(e => e.Claim.QuestId).ToArray();
        var reasons = entries.Select(e => e.Claim.QuestName).ToArray();
        var source = nameof(LedgerSource.Claim);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO wallet_ledger (entry_id, user_id, item, amount, balance_after, source, reference_id, quest_id, reason, created_at)
            SELECT e.id, e.user_id, e.item, e.amount, e.balance_after, {source}, e.claim_id, e.quest_id, e.reason, {now}
            FROM unnest({ids}, {users}, {items}, {amounts}, {balances}, {claims}, {quests}, {reasons})
                AS e(id, user_id, item, amount, balance_after, claim_id, quest_id, reason)
            """, cancellationToken);
    }

    /// <summary>
    /// Every balance that differs from the sum of its ledger entries, for one player or all
    /// (an empty list: the ledger explains every coin), and how many players were checked.
    /// </summary>
    public static async Task<(int Players, IReadOnlyList<WalletMismatch> Mismatches)> FindMismatchesAsync(this AuthDbContext db, Guid? userId, CancellationToken cancellationToken)
    {
        var players = await db.Users.CountAsync(u => userId == null || u.Id == userId, cancellationToken);
        var mismatches = await db.Database.SqlQuery<WalletMismatch>($"""
            WITH sums AS (
                SELECT user_id,
                       COALESCE(sum(amount) FILTER (WHERE item = 'Gold'), 0) AS gold,
                       COALESCE(sum(amount) FILTER (WHERE item = 'Diamond'), 0) AS diamond
                FROM wallet_ledger WHERE {userId}::uuid IS NULL OR user_id = {userId}
                GROUP BY user_id
            ), checked AS (
                SELECT u.user_id, u.gold, u.diamond, COALESCE(s.gold, 0) AS ledger_gold, COALESCE(s.diamond, 0) AS ledger_diamond
                FROM users u LEFT JOIN sums s USING (user_id)
                WHERE {userId}::uuid IS NULL OR u.user_id = {userId}
            )
            SELECT user_id AS "UserId", 'Gold' AS "Item", gold AS "Balance", ledger_gold::bigint AS "LedgerSum" FROM checked WHERE gold <> ledger_gold
            UNION ALL
            SELECT user_id, 'Diamond', diamond, ledger_diamond::bigint FROM checked WHERE diamond <> ledger_diamond
            """).ToListAsync(cancellationToken);
        return (players, mismatches);
    }

    private sealed record LockedWallet(Guid UserId, long Gold, long Diamond, long Version);
}

/// <summary>A balance the ledger does not explain: it should never exist.</summary>
public sealed record WalletMismatch(Guid UserId, string Item, long Balance, long LedgerSum);
