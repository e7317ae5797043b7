using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using QuestAspire.Processing.Worker.IntegrationEvents.Events;
using QuestAspire.Processing.Worker.Services;

namespace QuestAspire.Processing.Worker.IntegrationEvents.Handlers;

/// <summary>
/// Records sign-in events and counts them toward every active quest, a whole batch in one
/// transaction: the event log, the progress rows and the <c>QuestCompleted</c> outbox rows commit
/// together or not at all. An event already in the log is skipped, so a redelivered batch is
/// counted once; the progress rows of the batch's users are locked first, so replicas handling
/// the same user at once still give exact counts.
/// </summary>
public sealed class SignInEventHandler(
    ProcessingDbContext db,
    QuestCatalog catalog,
    OutboxSignal outboxSignal,
    TimeProvider timeProvider,
    ILogger<SignInEventHandler> logger) : IIntegrationEventHandler
{
    public const string ActivitySourceName = "QuestAspire.Processing";

    private static readonly ActivitySource ActivitySource = new(ActivitySourceName);
    private static readonly TimeSpan MaxCatalogWait = TimeSpan.FromSeconds(10);

    /// <summary>What a batch changes, written after every event of it has been applied.</summary>
    private sealed class BatchChanges
    {
        public List<LoggedEvent> Events { get; } = [];

        public HashSet<QuestProgress> Created { get; } = new(ReferenceEqualityComparer.Instance);

        public HashSet<QuestProgress> Updated { get; } = new(ReferenceEqualityComparer.Instance);

        public int Completions { get; set; }
    }

    public async Task HandleAsync(IReadOnlyList<ReceivedEvent> events, CancellationToken cancellationToken)
    {
        logger.LogDebug("Handling {Count} event(s), first {EventId}", events.Count, events[0].Event.EventId);
        var quests = await GetQuestsAsync(cancellationToken);

        var completions = 0;
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async ct =>
        {
            // A retried attempt starts from the database again, not from the failed attempt's changes.
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var changes = await ApplyAsync(events, quests, ct);

            // Set-based writes: one statement per table for the whole batch.
            await db.InsertEventsAsync(changes.Events, ct);
            // One order for every replica, so two inserting the same new rows wait rather than deadlock.
            await db.InsertProgressAsync([.. changes.Created.OrderBy(r => r.UserId).ThenBy(r => r.QuestId)], ct);
            await db.UpdateProgressAsync(changes.Updated, ct);
            await db.SaveChangesAsync(ct); // the outbox rows
            await transaction.CommitAsync(ct);
            completions = changes.Completions;
        }, cancellationToken);

        if (completions > 0)
        {
            outboxSignal.Notify();
        }
    }

    private async Task<BatchChanges> ApplyAsync(IReadOnlyList<ReceivedEvent> events, QuestSnapshot quests, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();

        // Lock first, in one order for everyone (no deadlocks between replicas). A row that does
        // not exist yet cannot be locked: a replica inserting the same one at the same time fails
        // with a unique violation, and the consumer's retry then finds and locks it.
        var userIds = events.Select(e => e.Event.UserId).Distinct().ToArray();
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

        var changes = new BatchChanges();
        foreach (var received in events)
        {
            var signIn = received.Event;
            using var activity = ActivitySource.StartActivity($"process {signIn.EventType}", ActivityKind.Internal, received.ParentContext);
            logger.LogDebug("Processing {EventType} {EventId} of user {UserId}", signIn.EventType, signIn.EventId, signIn.UserId);
            activity?.SetTag("event.id", signIn.EventId);
            activity?.SetTag("event.type", signIn.EventType);
            activity?.SetTag("user.id", signIn.UserId);

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
                if (!progress.TryGetValue((signIn.UserId, quest.QuestId), out var row))
                {
                    row = QuestProgress.Start(signIn.UserId, quest.QuestId, now);
                    progress.Add((row.UserId, row.QuestId), row);
                    changes.Created.Add(row);
                }

                var outcome = row.RecordSignIn(quest, now);
                if (outcome.Result != SignInResult.LimitReached && !changes.Created.Contains(row))
                {
                    changes.Updated.Add(row);
                }

                if (outcome.IsCompleted)
                {
                    activity?.SetTag("quest.id", quest.QuestId);
                    activity?.SetTag("quest.progress", row.Progress);
                    activity?.SetTag("quest.completions", row.Completions);
                    changes.Events.Add(EmitQuestCompleted(signIn.UserId, quest, outcome.Completion, now));
                    changes.Completions++;
                }
            }
        }

        return changes;
    }

    // Called while the sign-in's activity is current: the outbox row keeps that trace context,
    // so the relay publishes QuestCompleted inside the trace of the sign-in that caused it.
    private LoggedEvent EmitQuestCompleted(Guid userId, QuestRule quest, int completion, DateTimeOffset now)
    {
        var questCompleted = IntegrationEvent.Create(MessagingNames.QuestCompleted, userId, now,
            new QuestCompletedData(quest.QuestId, quest.Name, completion));
        db.OutboxMessages.Add(OutboxMessage.Create(questCompleted, now));
        logger.LogInformation("User {UserId} completed quest {QuestName} ({QuestId}), completion {Completion}: {EventId}",
            userId, quest.Name, quest.QuestId, completion, questCompleted.EventId);
        return LoggedEvent.Record(questCompleted, now);
    }

    private static bool IsSignIn(string eventType) =>
        eventType is MessagingNames.UserSignIn or MessagingNames.NewUserSignIn;

    // Waits (the batch stays unacknowledged in the queue) rather than failing: a failed batch is
    // redelivered, and after enough deliveries good events would be dead-lettered because the
    // catalog was slow to start.
    private async Task<QuestSnapshot> GetQuestsAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                return await catalog.GetAsync(cancellationToken);
            }
            catch (CatalogUnavailableException e)
            {
                logger.LogWarning(e, "No quests loaded yet; retrying in {Delay}", delay);
                await Task.Delay(delay, timeProvider, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxCatalogWait.Ticks));
            }
        }
    }
}
