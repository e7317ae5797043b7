using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using QuestAspire.Processing.Worker.IntegrationEvents.Events;
using QuestAspire.Processing.Worker.Services;
using QuestAspire.ServiceDefaults.Api;
using QuestAspire.Quests;

namespace QuestAspire.Processing.Worker.IntegrationEvents.Handlers;

/// <summary>
/// Records every event a player causes (sign-ins, app events, time-zone changes) and counts it
/// toward every active quest that uses it, a whole batch in one transaction: the event log, the
/// progress rows and the <c>QuestCompleted</c> outbox rows commit together or not at all. An
/// event already in the log is skipped, so a redelivered batch is counted once. The batch's
/// players are locked first (a transaction-scoped advisory lock per player, taken in one order
/// by every replica, so no deadlocks), which makes replicas handling the same player at once
/// still give exact counts. The quests come from the worker's own catalog copy and the players'
/// zones from its own table: nothing here calls another service. Each logged event is stamped
/// with the catalog version it was counted with, and the definitions of a version new to this
/// replica are stored with the batch (<see cref="QuestVersion"/>), so a replay of the log counts
/// with them again; the batch also holds the projection lock shared, which a rebuild's switch-over
/// takes exclusively (<see cref="Services.ProgressRebuilder"/>).
/// </summary>
public sealed class QuestEventHandler(
    ProcessingDbContext db,
    QuestCatalog catalog,
    QuestEngine engine,
    OutboxSignal outboxSignal,
    ProgressNotifier notifier,
    ProcessingTelemetry telemetry,
    TimeProvider timeProvider,
    ILogger<QuestEventHandler> logger) : IIntegrationEventHandler
{
    private static readonly TimeSpan MaxCatalogWait = TimeSpan.FromSeconds(30);

    /// <summary>What a batch changes, written after every event of it has been applied.</summary>
    private sealed class BatchChanges
    {
        public List<LoggedEvent> Events { get; } = [];

        public HashSet<QuestProgress> Updated { get; } = new(ReferenceEqualityComparer.Instance);

        public List<PlayerZone> Zones { get; } = [];

        public List<QuestRule> Completed { get; } = [];

        public List<OutboxMessage> Outbox { get; } = [];

        public HashSet<Guid> Players { get; } = [];
    }

    /// <summary>The batch's players (their zones and the progress rows the batch can touch) and the events of the batch already in the log.</summary>
    private sealed record LockedState(Dictionary<Guid, PlayerProgress> Players, Dictionary<Guid, PlayerZone> Zones, HashSet<Guid> Recorded);

    /// <summary>A received event as the rules see it; null for one that counts toward nothing (a time-zone change).</summary>
    private sealed record Incoming(ReceivedEvent Received, QuestEvent? Event, LoggedEvent Logged);

    // Every step shows in each event's trace (see EventBatch.StepAsync): catalog lookup, progress
    // lock, event-log write, progress update, commit.
    public async Task HandleAsync(EventBatch events, CancellationToken cancellationToken)
    {
        logger.LogDebug("Handling {Count} event(s), first {EventId}", events.Count, events[0].Event.EventId);
        var quests = await events.StepAsync("catalog lookup", GetQuestsAsync, cancellationToken);
        var recordedAt = timeProvider.GetUtcNow();
        var incoming = events.Select(e => Read(e, recordedAt, quests.Version)).ToList();

        var changes = new BatchChanges();
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async ct =>
        {
            // A retried attempt starts from the database again, not from the failed attempt's changes.
            db.ChangeTracker.Clear();
            changes = new BatchChanges();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var locked = await events.StepAsync("progress lock", token => LockAsync(incoming, quests, token), ct);
            Apply(incoming, quests, locked, changes);

            // Set-based writes: one statement per table for the whole batch.
            await events.StepAsync("event-log write", async token =>
            {
                // The definitions the batch is counted with, once per catalog version a replica meets, so a replay can count with them again.
                if (quests.Version > catalog.RecordedVersion)
                {
                    await db.InsertQuestVersionsAsync(quests.Sources, recordedAt, token);
                }

                await db.InsertEventsAsync(changes.Events, token);
                await db.InsertOutboxMessagesAsync(changes.Outbox, token); // the QuestCompleted events
            }, ct);
            await events.StepAsync("progress update", async token =>
            {
                await db.UpsertProgressAsync(changes.Updated, token);
                await db.UpsertZonesAsync(changes.Zones, token);
            }, ct);
            await events.StepAsync("commit", transaction.CommitAsync, ct);
        }, cancellationToken);

        catalog.MarkRecorded(quests.Version);
        foreach (var quest in changes.Completed)
        {
            telemetry.QuestCompleted(quest);
        }

        if (changes.Completed.Count > 0)
        {
            outboxSignal.Notify();
        }

        notifier.Notify(changes.Players);
    }

    // An app event is logged under the app's own type, with its value; everything else as it came.
    // Each is stamped with the catalog version it is counted with.
    private static Incoming Read(ReceivedEvent received, DateTimeOffset now, long catalogVersion)
    {
        var e = received.Event;
        switch (e.EventType)
        {
            case EventNames.AppEvent:
                // Malformed data is a permanent failure, dead-lettered with the reason: the API checks what it takes.
                var data = e.GetData<AppEventData>();
                if (string.IsNullOrEmpty(data.EventType))
                {
                    throw new PermanentEventException($"AppEvent {e.EventId} has no event_type.");
                }

                var logged = LoggedEvent.Record(e with { EventType = data.EventType, Data = JsonSerializer.SerializeToElement(new { value = data.Value }, ApiDefaults.JsonOptions) }, now, catalogVersion);
                return new(received, new QuestEvent(e.EventId, data.EventType, e.OccurredAt, data.Value), logged);
            case EventNames.TimeZoneChanged:
                return new(received, null, LoggedEvent.Record(e, now, catalogVersion));
            default:
                return new(received, new QuestEvent(e.EventId, e.EventType, e.OccurredAt, 1), LoggedEvent.Record(e, now, catalogVersion));
        }
    }

    private async Task<LockedState> LockAsync(List<Incoming> incoming, QuestSnapshot quests, CancellationToken cancellationToken)
    {
        var userIds = incoming.Select(i => i.Received.Event.UserId).Distinct().Order().ToArray();
        await db.LockPlayersAsync(userIds, cancellationToken);

        // Read after the locks: whatever another replica was writing for these players is committed by now.
        var eventIds = incoming.Select(i => i.Received.Event.EventId).Distinct().ToArray();
        var recorded = await db.Events.Where(e => eventIds.Contains(e.EventId)).Select(e => e.EventId).ToHashSetAsync(cancellationToken);
        // Zones matter only to quests with periods or days, and to the batch's own zone changes: the seed quest alone needs no read.
        var needsZones = incoming.Any(i => i.Event is null) || quests.Active.Any(q => q.Reset != QuestSchedule.Never || q.Kind == QuestKind.DailyStreak);
        var zones = needsZones
            ? await db.PlayerZones.AsNoTracking().Where(z => userIds.Contains(z.UserId)).ToDictionaryAsync(z => z.UserId, cancellationToken)
            : [];

        // The batch's own zone changes apply before its other events are counted.
        foreach (var change in incoming.Where(i => i.Event is null && !recorded.Contains(i.Received.Event.EventId)))
        {
            var e = change.Received.Event;
            var zone = e.GetData<TimeZoneChangedData>().TimeZone;
            if (zones.TryGetValue(e.UserId, out var held))
            {
                held.Apply(zone, e.OccurredAt);
            }
            else
            {
                zones[e.UserId] = PlayerZone.Of(e.UserId, zone, e.OccurredAt);
            }
        }

        var players = userIds.ToDictionary(id => id, id => new PlayerProgress(id, QuestSchedule.ZoneOf(zones.GetValueOrDefault(id)?.TimeZone)));

        // The rows the batch's events can count toward: each event's period of each quest that uses it.
        var now = timeProvider.GetUtcNow();
        var keys = new HashSet<(Guid UserId, Guid QuestId, DateTimeOffset Period)>();
        foreach (var (received, e, _) in incoming)
        {
            if (e is not { } quested || recorded.Contains(quested.EventId))
            {
                continue;
            }

            var player = players[received.Event.UserId];
            foreach (var quest in quests.Active.Where(q => QuestEngine.Uses(q, quested) && engine.Screen(q, quested, now) is null))
            {
                keys.Add((player.UserId, quest.QuestId, QuestEngine.PeriodOf(quest, quested.OccurredAt, player.Zone).Start.ToUniversalTime()));
            }
        }

        foreach (var row in await db.LoadProgressAsync(keys, cancellationToken))
        {
            players[row.UserId].Load(row);
        }

        // Preconditions look at completions over all periods of the quests they name.
        var preconditions = quests.Active.SelectMany(q => q.PreconditionIds).Distinct().ToArray();
        if (preconditions.Length > 0 && keys.Count > 0)
        {
            foreach (var total in await db.CompletionTotalsAsync(userIds, preconditions, cancellationToken))
            {
                players[total.UserId].AddCompletions(total.QuestId, total.Completions);
            }
        }

        return new LockedState(players, zones, recorded);
    }

    private void Apply(List<Incoming> incoming, QuestSnapshot quests, LockedState locked, BatchChanges changes)
    {
        var now = timeProvider.GetUtcNow();
        var (players, recorded) = (locked.Players, locked.Recorded);
        var zoneChanged = incoming.Where(i => i.Event is null).Select(i => i.Received.Event.UserId).ToHashSet();
        changes.Zones.AddRange(locked.Zones.Values.Where(z => zoneChanged.Contains(z.UserId)));
        foreach (var (received, e, logged) in incoming)
        {
            using var trace = received.EnterTrace();
            var activity = received.Activity;
            var userId = received.Event.UserId;
            logger.LogDebug("Processing {EventType} {EventId} of user {UserId}", logged.EventType, logged.EventId, userId);

            // Already in the log (an earlier delivery) or earlier in this batch: stored and counted once.
            if (!recorded.Add(logged.EventId))
            {
                logger.LogInformation("{EventType} {EventId} was already processed; skipping it", logged.EventType, logged.EventId);
                activity?.SetTag("event.duplicate", true);
                continue;
            }

            changes.Events.Add(logged);
            changes.Players.Add(userId);
            if (e is not { } quested)
            {
                continue;
            }

            if (quested.OccurredAt < now - engine.GraceWindow)
            {
                logger.LogInformation("{EventType} {EventId} of user {UserId} happened at {OccurredAt}, before the grace window of {Grace}: logged, not counted",
                    logged.EventType, logged.EventId, userId, quested.OccurredAt, engine.GraceWindow);
                activity?.SetTag("event.too_late", true);
            }

            var player = players[userId];
            foreach (var (quest, outcome) in engine.Apply(quests.Active, quested, player, now))
            {
                if (outcome is { Counted: true, Row: { } row })
                {
                    changes.Updated.Add(row);
                }

                // One quest per span: the seeded catalog has one, and a sign-in's trace names the quest it completed.
                if (outcome.Completions > 0 || activity?.GetTagItem("quest.id") is null)
                {
                    activity?.SetTag("quest.id", quest.QuestId);
                    activity?.SetTag("quest.name", quest.Name);
                    activity?.SetTag("quest.progress", outcome.Row?.Progress ?? 0);
                    activity?.SetTag("quest.completions", outcome.Row?.Completions ?? 0);
                }

                for (var completion = outcome.Completion - outcome.Completions + 1; completion <= outcome.Completion; completion++)
                {
                    changes.Events.Add(EmitQuestCompleted(changes, userId, quest, completion, now, quests.Version));
                    changes.Completed.Add(quest);
                }
            }
        }
    }

    // Called while the event's activity is current: the outbox row keeps that trace context,
    // so the relay publishes QuestCompleted inside the trace of the event that caused it.
    private LoggedEvent EmitQuestCompleted(BatchChanges changes, Guid userId, QuestRule quest, int completion, DateTimeOffset now, long catalogVersion)
    {
        var questCompleted = IntegrationEvent.Create(EventNames.QuestCompleted, userId, now,
            new QuestCompletedData(quest.QuestId, quest.Name, completion, quest.RewardItem, quest.RewardQty, quest.AutoClaim, quest.Version));
        changes.Outbox.Add(OutboxMessage.Create(questCompleted, now));
        logger.LogInformation("User {UserId} completed quest {QuestName} ({QuestId}), completion {Completion}: {EventId}",
            userId, quest.Name, quest.QuestId, completion, questCompleted.EventId);
        return LoggedEvent.Record(questCompleted, now, catalogVersion);
    }

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
