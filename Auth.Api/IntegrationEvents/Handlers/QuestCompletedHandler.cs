using Microsoft.EntityFrameworkCore;
using QuestAspire.Auth.Api.Contracts;
using QuestAspire.Auth.Api.IntegrationEvents.Events;
using QuestAspire.Auth.Api.Model;
using QuestAspire.Auth.Api.Services;
using QuestAspire.ServiceDefaults.Catalog;
using QuestAspire.ServiceDefaults.Messaging;

namespace QuestAspire.Auth.Api.IntegrationEvents.Handlers;

/// <summary>
/// Turns each QuestCompleted event into one reward claim: Pending, or credited at once for an
/// auto-claim quest. The event carries what the quest paid at completion, so nothing here calls
/// Catalog.Api or reads a row per event: a batch's claims and their ledger credits are a few
/// set-based statements in one transaction. The claim's unique completion event id makes a redelivered event a no-op.
/// </summary>
public sealed class QuestCompletedHandler(
    AuthDbContext db,
    CatalogCopy<CatalogQuest> catalog,
    AuthTelemetry telemetry,
    TimeProvider time,
    ILogger<QuestCompletedHandler> logger) : IIntegrationEventHandler
{
    public async Task HandleAsync(EventBatch events, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var claims = new List<RewardClaim>(events.Count);
        var seen = new HashSet<Guid>();
        foreach (var received in events)
        {
            using var trace = received.EnterTrace();
            var completed = received.Event;
            logger.LogInformation("QuestCompleted {EventId} for user {UserId}", completed.EventId, completed.UserId);
            if (!seen.Add(completed.EventId))
            {
                received.Activity?.SetTag("event.duplicate", true);
                continue;
            }

            var claim = CreateClaim(completed, now);
            claims.Add(claim);
            var activity = received.Activity;
            activity?.SetTag("quest.id", claim.QuestId);
            activity?.SetTag("quest.name", claim.QuestName);
            activity?.SetTag("reward.item", AuthTelemetry.RewardItemTag(claim));
            activity?.SetTag("reward.qty", claim.RewardQty);
            activity?.SetTag("claim.status", claim.Status.ToString());
        }

        var stored = await events.StepAsync("claim store", ct => StoreAsync(claims, ct), cancellationToken);
        foreach (var claim in stored)
        {
            telemetry.ClaimStored(claim);
            if (claim.Status == ClaimStatus.Claimed)
            {
                telemetry.RewardCredited(claim);
            }
        }

        if (stored.Count < claims.Count)
        {
            logger.LogInformation("{Count} QuestCompleted event(s) were handled before; skipped", claims.Count - stored.Count);
        }
    }

    // EF's retrying strategy (on in the Aspire integration) runs the transaction as one retriable unit.
    private Task<IReadOnlyList<RewardClaim>> StoreAsync(List<RewardClaim> claims, CancellationToken cancellationToken) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var inserted = await db.InsertNewClaimsAsync(claims, ct);
            await db.CreditClaimsAsync(inserted, time.GetUtcNow(), ct);
            await transaction.CommitAsync(ct);
            return inserted;
        }, cancellationToken);

    private RewardClaim CreateClaim(IntegrationEvent completed, DateTimeOffset now)
    {
        var data = completed.GetData<QuestCompletedData>();
        var (name, item, qty, autoClaim) = data is { RewardItem: { } wireItem, RewardQty: { } wireQty, AutoClaim: { } wireAutoClaim }
            ? (data.QuestName ?? "", ParseItem(wireItem, completed), wireQty, wireAutoClaim)
            : FromCatalog(data.QuestId, completed);
        if (qty <= 0)
        {
            throw new PermanentEventException($"QuestCompleted {completed.EventId} pays {qty} {item}: a reward is at least 1.");
        }

        return RewardClaim.FromCompletion(completed.UserId, completed.EventId, data.QuestId, name, item, qty, autoClaim, now);
    }

    // An event from before completions carried their reward: what the quest pays now, from Auth's own copy.
    private (string Name, RewardItem Item, int Qty, bool AutoClaim) FromCatalog(Guid questId, IntegrationEvent completed)
    {
        if (!catalog.IsLoaded)
        {
            throw new DependencyUnavailableException($"QuestCompleted {completed.EventId} has no reward and the catalog copy is not loaded yet.");
        }

        return catalog.Quests.TryGetValue(questId, out var quest) && quest.Reward is { } reward
            ? (quest.Name, reward.Item, reward.Qty, quest.AutoClaim)
            : throw new PermanentEventException($"Quest {questId} of QuestCompleted {completed.EventId} is not in the catalog (or has no reward).");
    }

    private static RewardItem ParseItem(string item, IntegrationEvent completed) => item switch
    {
        "gold" => RewardItem.Gold,
        "diamond" => RewardItem.Diamond,
        _ => throw new PermanentEventException($"QuestCompleted {completed.EventId} pays an unknown item '{item}'."),
    };
}
