using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using QuestAspire.Auth.Api.IntegrationEvents.Events;
using QuestAspire.Auth.Api.Model;
using QuestAspire.Auth.Api.Services;
using QuestAspire.ServiceDefaults.Messaging;

namespace QuestAspire.Auth.Api.IntegrationEvents.Handlers;

/// <summary>
/// Turns each QuestCompleted event into one reward claim: Pending, or credited at once for an
/// auto-claim quest. The claim's unique completion event id makes a redelivered event a no-op.
/// </summary>
public sealed class QuestCompletedHandler(
    AuthDbContext db,
    CatalogClient catalog,
    TimeProvider time,
    ILogger<QuestCompletedHandler> logger) : IIntegrationEventHandler
{
    public async Task HandleAsync(IReadOnlyList<ReceivedEvent> events, CancellationToken cancellationToken)
    {
        var ids = events.Select(e => e.Event.EventId).ToList();
        var handled = (await db.RewardClaims.Where(c => ids.Contains(c.CompletionEventId))
            .Select(c => c.CompletionEventId).ToListAsync(cancellationToken)).ToHashSet();

        foreach (var received in events)
        {
            var completed = received.Event;
            logger.LogInformation("QuestCompleted {EventId} for user {UserId}", completed.EventId, completed.UserId);
            if (!handled.Add(completed.EventId))
            {
                logger.LogInformation("QuestCompleted {EventId} was handled before; skipping", completed.EventId);
                continue;
            }

            using var activity = AuthTelemetry.ActivitySource.StartActivity("store reward claim", ActivityKind.Consumer, received.ParentContext);
            activity?.SetTag("event.id", completed.EventId);
            activity?.SetTag("user.id", completed.UserId);
            await StoreClaimAsync(completed, activity, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task StoreClaimAsync(IntegrationEvent completed, Activity? activity, CancellationToken cancellationToken)
    {
        var data = completed.GetData<QuestCompletedData>();
        var quest = await catalog.GetQuestAsync(data.QuestId, cancellationToken)
            ?? throw new InvalidOperationException($"Quest {data.QuestId} of QuestCompleted {completed.EventId} is not in the catalog.");
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == completed.UserId, cancellationToken)
            ?? throw new InvalidOperationException($"User {completed.UserId} of QuestCompleted {completed.EventId} does not exist.");

        activity?.SetTag("quest.id", quest.QuestId);
        activity?.SetTag("quest.name", quest.Name);
        activity?.SetTag("reward.item", quest.Reward.Item.ToString().ToLowerInvariant());
        activity?.SetTag("reward.qty", quest.Reward.Qty);

        var now = time.GetUtcNow();
        var claim = RewardClaim.Create(user.Id, completed.EventId, quest.QuestId, quest.Name, quest.Reward.Item, quest.Reward.Qty, now);
        db.RewardClaims.Add(claim);
        AuthTelemetry.ClaimsStored.Add(1);
        if (quest.AutoClaim)
        {
            claim.ClaimInto(user, now);
            AuthTelemetry.RewardsCredited.Add(1, new KeyValuePair<string, object?>("reward.item", claim.RewardItem.ToString()));
        }
    }
}
