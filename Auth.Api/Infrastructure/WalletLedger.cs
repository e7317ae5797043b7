using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using QuestAspire.Auth.Api.Model;
using QuestAspire.Data;
using QuestAspire.EventBus;

namespace QuestAspire.Auth.Api.Infrastructure;

/// <summary>
/// The only code that changes a balance. Every change is decided by one rule
/// (<see cref="WalletBatch.Decide"/>) on wallets locked in the caller's transaction, and writes its
/// ledger entry in the same transaction as the balance, so a balance is always the sum of its
/// entries; <see cref="FindMismatchesAsync"/> proves it.
/// </summary>
public static class WalletLedger
{
    /// <summary>
    /// Applies one change in the caller's transaction (a refund, a claim by hand): locks the
    /// wallet, decides the change as a batch of one (<see cref="WalletBatch.Decide"/>) and writes
    /// it. Concurrent changes of one wallet queue on its row, and each sees the balance the one before left.
    /// </summary>
    public static async Task<WalletOutcome> ApplyAsync(this AuthDbContext db, WalletChange change, long? expectedVersion, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var wallets = await db.LockWalletsAsync([change.UserId], cancellationToken);
        WalletWrite[] writes = [new(change, expectedVersion)];
        var outcomes = WalletBatch.Decide(writes, wallets, () => Guid.CreateVersion7(now));
        await db.WriteDecidedAsync(writes, outcomes, wallets, now, cancellationToken);
        return outcomes[0];
    }

    public static async Task<WalletState?> GetWalletAsync(this AuthDbContext db, Guid userId, CancellationToken cancellationToken) =>
        (await db.Database.SqlQuery<WalletState>($"""
            SELECT gold AS "Gold", diamond AS "Diamond", wallet_version AS "Version" FROM users WHERE user_id = {userId}
            """).ToListAsync(cancellationToken)).SingleOrDefault();

    /// <summary>
    /// Credits a batch of auto-claimed claims with three statements whatever its size
    /// (<see cref="LockWalletsAsync"/>, <see cref="WriteDecidedAsync"/>, a round trip each). A credit past the most a
    /// wallet holds is a permanent failure, thrown before anything is written.
    /// </summary>
    public static async Task CreditClaimsAsync(this AuthDbContext db, IEnumerable<RewardClaim> claims, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var credited = claims.Where(c => c.Status == ClaimStatus.Claimed).OrderBy(c => c.UserId).ThenBy(c => c.CreatedAt).ToList();
        if (credited.Count == 0)
        {
            return;
        }

        var wallets = await db.LockWalletsAsync(credited.Select(c => c.UserId), cancellationToken);
        var writes = credited.Select(c => new WalletWrite(c.Credit())).ToList();
        var outcomes = WalletBatch.Decide(writes, wallets, () => Guid.CreateVersion7(now));
        if (Array.FindIndex(outcomes, o => !o.Applied) is var refused and >= 0)
        {
            var claim = credited[refused];
            throw new PermanentEventException($"Claim {claim.Id} would take user {claim.UserId}'s {claim.RewardItem} past the most a wallet holds.");
        }

        await db.WriteDecidedAsync(writes, outcomes, wallets, now, cancellationToken);
    }

    /// <summary>
    /// Locks and reads the wallets of <paramref name="userIds"/> in one order (two writers locking
    /// the same wallets, in this replica or another, cannot deadlock), for <see cref="WalletBatch.Decide"/>.
    /// </summary>
    public static async Task<Dictionary<Guid, WalletState>> LockWalletsAsync(this AuthDbContext db, IEnumerable<Guid> userIds, CancellationToken cancellationToken)
    {
        await using var batch = db.Database.CreateBatch();
        return await batch.ReadAsync(LockWallets(batch, userIds), cancellationToken);
    }

    /// <summary><see cref="LockWalletsAsync"/> as a part of a larger batch.</summary>
    public static BatchResult<Dictionary<Guid, WalletState>> LockWallets(DbBatch batch, IEnumerable<Guid> userIds)
    {
        batch.Add("""
            SELECT user_id, gold, diamond, wallet_version FROM users WHERE user_id = ANY($1) ORDER BY user_id FOR UPDATE
            """, userIds.Distinct().ToArray());
        return async (reader, cancellationToken) => (await reader.ReadRowsAsync(
                row => (UserId: row.GetGuid(0), Wallet: new WalletState(row.GetInt64(1), row.GetInt64(2), row.GetInt64(3))), cancellationToken))
            .ToDictionary(w => w.UserId, w => w.Wallet);
    }

    /// <summary>
    /// Writes what <see cref="WalletBatch.Decide"/> decided, with one round trip whatever the
    /// batch's size (<see cref="WriteDecided"/>). The wallets must be locked in this transaction (<see cref="LockWalletsAsync"/>).
    /// </summary>
    public static async Task WriteDecidedAsync(
        this AuthDbContext db, IReadOnlyList<WalletWrite> writes, IReadOnlyList<WalletOutcome> outcomes, IReadOnlyDictionary<Guid, WalletState> wallets, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var batch = db.Database.CreateBatch();
        WriteDecided(batch, writes, outcomes, wallets, now);
        await batch.ExecuteAsync(cancellationToken);
    }

    /// <summary>
    /// Adds to a batch the two statements that write what <see cref="WalletBatch.Decide"/> decided
    /// (none when nothing was applied): the final balances of the wallets it changed, and one entry
    /// per applied change with the balance after it.
    /// </summary>
    public static void WriteDecided(
        DbBatch batch, IReadOnlyList<WalletWrite> writes, IReadOnlyList<WalletOutcome> outcomes, IReadOnlyDictionary<Guid, WalletState> wallets, DateTimeOffset now)
    {
        var applied = Enumerable.Range(0, writes.Count).Where(i => outcomes[i].Applied).Select(i => (writes[i].Change, Outcome: outcomes[i])).ToList();
        if (applied.Count == 0)
        {
            return;
        }

        var users = applied.Select(a => a.Change.UserId).Distinct().ToArray();
        batch.Add("""
            UPDATE users AS u SET gold = c.gold, diamond = c.diamond, wallet_version = c.version
            FROM unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::bigint[]) AS c(user_id, gold, diamond, version)
            WHERE u.user_id = c.user_id
            """,
            users,
            users.Select(u => wallets[u].Gold).ToArray(),
            users.Select(u => wallets[u].Diamond).ToArray(),
            users.Select(u => wallets[u].Version).ToArray());
        batch.Add("""
            INSERT INTO wallet_ledger (entry_id, user_id, item, amount, balance_after, source, reference_id, quest_id, reason, actor_id, created_at)
            SELECT e.id, e.user_id, e.item, e.amount, e.balance_after, e.source, e.reference_id, e.quest_id, e.reason, e.actor_id, $11
            FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::uuid[], $8::uuid[], $9::text[], $10::uuid[])
                AS e(id, user_id, item, amount, balance_after, source, reference_id, quest_id, reason, actor_id)
            """,
            applied.Select(a => a.Outcome.EntryId).ToArray(),
            applied.Select(a => a.Change.UserId).ToArray(),
            applied.Select(a => a.Change.Item.ToString()).ToArray(),
            applied.Select(a => a.Change.Amount).ToArray(),
            applied.Select(a => WalletOutcome.Balance(a.Outcome.Wallet!, a.Change.Item)).ToArray(),
            applied.Select(a => a.Change.Source.ToString()).ToArray(),
            applied.Select(a => a.Change.ReferenceId).ToArray(),
            applied.Select(a => a.Change.QuestId).ToArray(),
            applied.Select(a => a.Change.Reason).ToArray(),
            applied.Select(a => a.Change.ActorId).ToArray(),
            now);
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
}

/// <summary>A balance the ledger does not explain: it should never exist.</summary>
public sealed record WalletMismatch(Guid UserId, string Item, long Balance, long LedgerSum);
