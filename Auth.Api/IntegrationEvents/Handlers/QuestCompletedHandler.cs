using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using QuestAspire.Auth.Api.Contracts;
using QuestAspire.Auth.Api.IntegrationEvents.Events;
using QuestAspire.Auth.Api.Model;
using QuestAspire.Auth.Api.Services;
using QuestAspire.ServiceDefaults.Messaging;

namespace QuestAspire.Auth.Api.IntegrationEvents.Handlers;

/// <summary>
/// Turns each QuestCompleted event into one reward claim: Pending, or credited at once for an
/// auto-claim quest. The claim's unique completion event id makes a redelivered event a no-op.
/// Each event's catalog fetch runs in its own trace; the claims of a batch are stored together.
/// </summary>
public sealed class QuestCompletedHandler(
    AuthDbContext db,
    CatalogClient catalog,
    AuthTelemetry telemetry,
    TimeProvider time,
    ILogger<QuestCompletedHandler> logger) : IIntegrationEventHandler
{
    public async Task HandleAsync(EventBatch events, CancellationToken cancellationToken)
    {
        var ids = events.Select(e => e.Event.EventId).ToList();
        var handled = await events.StepAsync("claim lookup", async ct =>
            (await db.RewardClaims.Where(c => ids.Contains(c.CompletionEventId)).Select(c => c.CompletionEventId).ToListAsync(ct)).ToHashSet(),
            cancellationToken);

        var stored = new List<RewardClaim>();
        foreach (var received in events)
        {
            using var trace = received.EnterTrace();
            var completed = received.Event;
            logger.LogInformation("QuestCompleted {EventId} for user {UserId}", completed.EventId, completed.UserId);
            if (!handled.Add(completed.EventId))
            {
                logger.LogInformation("QuestCompleted {EventId} was handled before; skipping", completed.EventId);
                received.Activity?.SetTag("event.duplicate", true);
                continue;
            }

            stored.Add(await CreateClaimAsync(completed, received.Activity, cancellationToken));
        }

        await events.StepAsync("claim store", db.SaveChangesAsync, cancellationToken);

        foreach (var claim in stored)
        {
            telemetry.ClaimStored(claim);
            if (claim.Status == ClaimStatus.Claimed)
            {
                telemetry.RewardCredited(claim);
            }
        }
    }

    private async Task<RewardClaim> CreateClaimAsync(IntegrationEvent completed, Activity? activity, CancellationToken cancellationToken)
    {
        var data = completed.GetData<QuestCompletedData>();
        var quest = await FetchQuestAsync(data.QuestId, cancellationToken)
            ?? throw new InvalidOperationException($"Quest {data.QuestId} of QuestCompleted {completed.EventId} is not in the catalog.");
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == completed.UserId, cancellationToken)
            ?? throw new InvalidOperationException($"User {completed.UserId} of QuestCompleted {completed.EventId} does not exist.");

        activity?.SetTag("quest.id", quest.QuestId);
        activity?.SetTag("quest.name", quest.Name);
        activity?.SetTag("quest.completions", data.Completion);
        activity?.SetTag("reward.item", quest.Reward.Item.ToString().ToLowerInvariant());
        activity?.SetTag("reward.qty", quest.Reward.Qty);

        var now = time.GetUtcNow();
        var claim = RewardClaim.Create(user.Id, completed.EventId, quest.QuestId, quest.Name, quest.Reward.Item, quest.Reward.Qty, now);
        db.RewardClaims.Add(claim);
        if (quest.AutoClaim)
        {
            claim.ClaimInto(user, now);
        }

        activity?.SetTag("claim.status", claim.Status.ToString());
        return claim;
    }

    // The quest and its reward come in one answer from Catalog.Api.
    private async Task<CatalogQuest?> FetchQuestAsync(Guid questId, CancellationToken cancellationToken)
    {
        using var activity = telemetry.ActivitySource.StartActivity("catalog fetch quest and reward");
        activity?.SetTag("quest.id", questId);
        return await catalog.GetQuestAsync(questId, cancellationToken);
    }
}
