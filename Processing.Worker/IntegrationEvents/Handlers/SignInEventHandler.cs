using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using QuestAspire.Processing.Worker.IntegrationEvents.Events;
using QuestAspire.Processing.Worker.Services;

namespace QuestAspire.Processing.Worker.IntegrationEvents.Handlers;

/// <summary>
/// Records sign-in events and counts them toward every active quest, a whole batch in one
/// transaction: the event log, the progress rows and the <c>QuestCompleted</c> outbox rows commit
/// together or not at all. An event already in the log is skipped, so a redelivered batch is
/// counted once; the progress rows of the batch's users are created if missing (insert or
/// nothing) and locked first, so replicas handling the same user at once still give exact counts
/// and no statement of the batch fails because another replica got there first. The quests come
/// from the worker's own catalog copy: nothing here calls Catalog.Api.
/// </summary>
public sealed class SignInEventHandler(
    ProcessingDbContext db,
    QuestCatalog catalog,
    OutboxSignal outboxSignal,
    ProcessingTelemetry telemetry,
    TimeProvider timeProvider,
    ILogger<SignInEventHandler> logger) : IIntegrationEventHandler
{
    private static readonly TimeSpan MaxCatalogWait = TimeSpan.FromSeconds(30);

    /// <summary>What a batch changes, written after every event of it has been applied.</summary>
    private sealed class BatchChanges
    {
        public List<LoggedEvent> Events { get; } = [];

        public HashSet<QuestProgress> Updated { get; } = new(ReferenceEqualityComparer.Instance);

        public List<QuestRule> Completed { get; } = [];

        public List<OutboxMessage> Outbox { get; } = [];
    }

    /// <summary>The progress rows of the batch's users, locked, and the events of the batch already in the log.</summary>
    private sealed record LockedState(Dictionary<(Guid UserId, Guid QuestId), QuestProgress> Progress, HashSet<Guid> Recorded);

    // Every step shows in each event's trace (see EventBatch.StepAsync): catalog lookup, progress
    // lock, event-log write, progress update, commit.
    public async Task HandleAsync(EventBatch events, CancellationToken cancellationToken)
    {
        logger.LogDebug("Handling {Count} event(s), first {EventId}", events.Count, events[0].Event.EventId);
        var quests = await events.StepAsync("catalog lookup", GetQuestsAsync, cancellationToken);

        var completed = new List<QuestRule>();
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async ct =>
        {
            // A retried attempt starts from the database again, not from the failed attempt's changes.
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var locked = await events.StepAsync("progress lock", token => LockAsync(events, quests, token), ct);
            var changes = Apply(events, quests, locked);

            // Set-based writes: one statement per table for the whole batch.
            await events.StepAsync("event-log write", async token =>
            {
                await db.InsertEventsAsync(changes.Events, token);
                await db.InsertOutboxMessagesAsync(changes.Outbox, token); // the QuestCompleted events
            }, ct);
            await events.StepAsync("progress update", token => db.UpdateProgressAsync(changes.Updated, token), ct);
            await events.StepAsync("commit", transaction.CommitAsync, ct);
            completed = changes.Completed;
        }, cancellationToken);

        foreach (var quest in completed)
        {
            telemetry.QuestCompleted(quest);
        }

        if (completed.Count > 0)
        {
            outboxSignal.Notify();
        }
    }

    // Create what is missing, then lock, in one order for everyone (no deadlocks between replicas).
    private async Task<LockedState> LockAsync(EventBatch events, QuestSnapshot quests, CancellationToken cancellationToken)
    {
        var userIds = events.Where(e => IsSignIn(e.Event.EventType)).Select(e => e.Event.UserId).Distinct().Order().ToArray();
        await db.EnsureProgressRowsAsync(
            [.. userIds.SelectMany(user => quests.Active.Select(quest => (user, quest.QuestId)))], timeProvider.GetUtcNow(), cancellationToken);
        var progress = await db.QuestProgress
            .FromSql($"SELECT * FROM quest_progress WHERE user_id = ANY({userIds}) ORDER BY user_id, quest_id FOR UPDATE")
            .AsNoTracking()
            .ToDictionaryAsync(p => (p.UserId, p.QuestId), cancellationToken);

        // Read after the locks: an event another replica was handling for these users is committed by now.
        var eventIds = events.Select(e => e.Event.EventId).Distinct().ToArray();
        var recorded = await db.Events
            .Where(e => eventIds.Contains(e.EventId))
            .Select(e => e.EventId)
            .ToHashSetAsync(cancellationToken);
        return new LockedState(progress, recorded);
    }

    private BatchChanges Apply(EventBatch events, QuestSnapshot quests, LockedState locked)
    {
        var now = timeProvider.GetUtcNow();
        var (progress, recorded) = (locked.Progress, locked.Recorded);
        var changes = new BatchChanges();
        foreach (var received in events)
        {
            using var trace = received.EnterTrace();
            var activity = received.Activity;
            var signIn = received.Event;
            logger.LogDebug("Processing {EventType} {EventId} of user {UserId}", signIn.EventType, signIn.EventId, signIn.UserId);

            // Already in the log (an earlier delivery) or earlier in this batch: stored and counted once.
            if (!recorded.Add(signIn.EventId))
            {
                logger.LogInformation("{EventType} {EventId} was already processed; skipping it", signIn.EventType, signIn.EventId);
                activity?.SetTag("event.duplicate", true);
                continue;
            }

            changes.Events.Add(LoggedEvent.Record(signIn, now));
            if (!IsSignIn(signIn.EventType))
            {
                continue;
            }

            foreach (var quest in quests.Active)
            {
                // Created by LockAsync for every active quest of every user of the batch.
                var row = progress[(signIn.UserId, quest.QuestId)];
                var outcome = row.RecordSignIn(quest, now);
                if (outcome.Result != SignInResult.LimitReached)
                {
                    changes.Updated.Add(row);
                }

                // One quest per span: the seeded catalog has one, and a sign-in's trace names the quest it completed.
                if (outcome.IsCompleted || activity?.GetTagItem("quest.id") is null)
                {
                    activity?.SetTag("quest.id", quest.QuestId);
                    activity?.SetTag("quest.name", quest.Name);
                    activity?.SetTag("quest.progress", row.Progress);
                    activity?.SetTag("quest.completions", row.Completions);
                }

                if (outcome.IsCompleted)
                {
                    changes.Events.Add(EmitQuestCompleted(changes, signIn.UserId, quest, outcome.Completion, now));
                    changes.Completed.Add(quest);
                }
            }
        }

        return changes;
    }

    // Called while the sign-in's activity is current: the outbox row keeps that trace context,
    // so the relay publishes QuestCompleted inside the trace of the sign-in that caused it.
    private LoggedEvent EmitQuestCompleted(BatchChanges changes, Guid userId, QuestRule quest, int completion, DateTimeOffset now)
    {
        var questCompleted = IntegrationEvent.Create(MessagingNames.QuestCompleted, userId, now,
            new QuestCompletedData(quest.QuestId, quest.Name, completion, quest.RewardItem, quest.RewardQty, quest.AutoClaim, quest.Version));
        changes.Outbox.Add(OutboxMessage.Create(questCompleted, now));
        logger.LogInformation("User {UserId} completed quest {QuestName} ({QuestId}), completion {Completion}: {EventId}",
            userId, quest.Name, quest.QuestId, completion, questCompleted.EventId);
        return LoggedEvent.Record(questCompleted, now);
    }

    private static bool IsSignIn(string eventType) =>
        eventType is MessagingNames.UserSignIn or MessagingNames.NewUserSignIn;

    // Only before the worker's catalog copy is first loaded is there anything to wait for; past
    // a bound the batch is retried later (a transient failure, so it never uses up the poison budget).
    private async Task<QuestSnapshot> GetQuestsAsync(CancellationToken cancellationToken)
    {
        if (!catalog.IsLoaded)
        {
            logger.LogInformation("Waiting for the catalog copy to load");
            try
            {
                await catalog.GetAsync(cancellationToken).AsTask().WaitAsync(MaxCatalogWait, timeProvider, cancellationToken);
            }
            catch (TimeoutException e)
            {
                throw new DependencyUnavailableException($"The catalog copy has not loaded within {MaxCatalogWait}.", e);
            }
        }

        var snapshot = catalog.Current();
        Activity.Current?.SetTag("catalog.quests.active", snapshot.Active.Count);
        Activity.Current?.SetTag("catalog.version", snapshot.Version);
        return snapshot;
    }
}
