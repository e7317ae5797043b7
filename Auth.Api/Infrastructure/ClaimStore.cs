using Microsoft.EntityFrameworkCore;
using QuestAspire.Auth.Api.Model;

namespace QuestAspire.Auth.Api.Infrastructure;

/// <summary>
/// Stores a batch of claims with two statements whatever its size: the claims (one per completion
/// event; one already stored is skipped), then the wallet credits of the auto-claimed ones among
/// those actually inserted. The caller runs both in one transaction, so a credit happens exactly
/// when its claim is stored.
/// </summary>
public static class ClaimStore
{
    /// <summary>Inserts the claims that are new; returns them (a redelivered completion is not among them).</summary>
    public static async Task<IReadOnlyList<RewardClaim>> InsertNewClaimsAsync(this AuthDbContext db, IReadOnlyList<RewardClaim> claims, CancellationToken cancellationToken)
    {
        if (claims.Count == 0)
        {
            return [];
        }

        var ids = claims.Select(c => c.Id).ToArray();
        var users = claims.Select(c => c.UserId).ToArray();
        var events = claims.Select(c => c.CompletionEventId).ToArray();
        var quests = claims.Select(c => c.QuestId).ToArray();
        var names = claims.Select(c => c.QuestName).ToArray();
        var items = claims.Select(c => c.RewardItem.ToString()).ToArray();
        var qtys = claims.Select(c => c.RewardQty).ToArray();
        var statuses = claims.Select(c => c.Status.ToString()).ToArray();
        var created = claims.Select(c => c.CreatedAt).ToArray();
        var claimed = claims.Select(c => c.ClaimedAt).ToArray();
        var inserted = await db.Database.SqlQuery<Guid>($"""
            INSERT INTO reward_claims (claim_id, user_id, completion_event_id, quest_id, quest_name, reward_item, reward_qty, status, created_at, claimed_at)
            SELECT * FROM unnest({ids}, {users}, {events}, {quests}, {names}, {items}, {qtys}, {statuses}, {created}, {claimed}::timestamptz[])
            ON CONFLICT (completion_event_id) DO NOTHING
            RETURNING completion_event_id AS "Value"
            """).ToListAsync(cancellationToken);
        var insertedIds = inserted.ToHashSet();
        return [.. claims.Where(c => insertedIds.Contains(c.CompletionEventId))];
    }

    /// <summary>Credits the wallets for the given auto-claimed claims, one row per user; an overflow fails the statement (nothing credited).</summary>
    public static async Task CreditAsync(this AuthDbContext db, IEnumerable<RewardClaim> claimed, CancellationToken cancellationToken)
    {
        var credits = claimed
            .Where(c => c.Status == ClaimStatus.Claimed)
            .GroupBy(c => c.UserId)
            .OrderBy(g => g.Key)
            .Select(g => (UserId: g.Key,
                Gold: checked(g.Where(c => c.RewardItem == RewardItem.Gold).Sum(c => c.RewardQty)),
                Diamond: checked(g.Where(c => c.RewardItem == RewardItem.Diamond).Sum(c => c.RewardQty))))
            .ToList();
        if (credits.Count == 0)
        {
            return;
        }

        var users = credits.Select(c => c.UserId).ToArray();
        var gold = credits.Select(c => c.Gold).ToArray();
        var diamond = credits.Select(c => c.Diamond).ToArray();
        // Lock the wallets in one order first: the UPDATE's join locks rows in whatever order its plan
        // reads them, and two Auth replicas crediting the same users could otherwise deadlock.
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM users WHERE user_id = ANY({users}) ORDER BY user_id FOR UPDATE", cancellationToken);
        await db.Database.ExecuteSqlAsync($"""
            UPDATE users AS u SET gold = u.gold + c.gold, diamond = u.diamond + c.diamond
            FROM unnest({users}, {gold}, {diamond}) AS c(user_id, gold, diamond)
            WHERE u.user_id = c.user_id
            """, cancellationToken);
    }
}
