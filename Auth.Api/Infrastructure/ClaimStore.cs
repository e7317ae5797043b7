using Microsoft.EntityFrameworkCore;
using QuestAspire.Auth.Api.Model;

namespace QuestAspire.Auth.Api.Infrastructure;

/// <summary>
/// Stores a batch of claims with one statement whatever its size (one per completion event; one
/// already stored is skipped). The caller credits the auto-claimed ones among those inserted
/// (<see cref="WalletLedger.CreditClaimsAsync"/>) in the same transaction, so a credit happens
/// exactly when its claim is stored.
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
}
