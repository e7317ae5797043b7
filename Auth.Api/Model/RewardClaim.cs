namespace QuestAspire.Auth.Api.Model;

public enum ClaimStatus
{
    Pending,
    Claimed,
}

/// <summary>A reward earned by one quest completion; the wallet is credited (a ledger entry) when it is claimed.</summary>
public sealed class RewardClaim
{
    public Guid Id { get; private set; }

    public Guid UserId { get; private set; }

    /// <summary>The QuestCompleted event this claim came from: one claim per completion.</summary>
    public Guid CompletionEventId { get; private set; }

    public Guid QuestId { get; private set; }

    public string QuestName { get; private set; } = "";

    public RewardItem RewardItem { get; private set; }

    public int RewardQty { get; private set; }

    public ClaimStatus Status { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? ClaimedAt { get; private set; }

    public static RewardClaim Create(Guid userId, Guid completionEventId, Guid questId, string questName, RewardItem item, int qty, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(qty);
        return new RewardClaim
        {
            Id = Guid.CreateVersion7(now),
            UserId = userId,
            CompletionEventId = completionEventId,
            QuestId = questId,
            QuestName = questName,
            RewardItem = item,
            RewardQty = qty,
            Status = ClaimStatus.Pending,
            CreatedAt = now,
        };
    }

    /// <summary>
    /// The claim of one quest completion as Auth stores it from a QuestCompleted event: Pending,
    /// or for an auto-claim quest already Claimed, in which case whoever stores it credits the
    /// wallet in the same transaction (<see cref="Infrastructure.WalletLedger.CreditClaimsAsync"/>, for the claims inserted).
    /// </summary>
    public static RewardClaim FromCompletion(
        Guid userId, Guid completionEventId, Guid questId, string questName, RewardItem item, int qty, bool autoClaim, DateTimeOffset now)
    {
        var claim = Create(userId, completionEventId, questId, questName, item, qty, now);
        if (autoClaim)
        {
            claim.Status = ClaimStatus.Claimed;
            claim.ClaimedAt = now;
        }

        return claim;
    }

    /// <summary>Marks a pending claim claimed; its credit is the ledger entry written in the same transaction.</summary>
    public void MarkClaimed(DateTimeOffset now)
    {
        if (Status == ClaimStatus.Claimed)
        {
            throw new InvalidOperationException("The reward was already claimed.");
        }

        Status = ClaimStatus.Claimed;
        ClaimedAt = now;
    }

    /// <summary>The ledger change that credits this claim's reward to its player.</summary>
    public WalletChange Credit() => new(UserId, RewardItem, RewardQty, LedgerSource.Claim, QuestName, ReferenceId: Id, QuestId: QuestId);
}
