using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using QuestAspire.Processing.Worker.Services;
using QuestAspire.ServiceDefaults.Api;

namespace QuestAspire.Processing.Worker.Infrastructure;

/// <summary>
/// Writes a batch's rows with one statement per table (arrays unnested server-side) instead of
/// one statement per row: the event consumer's throughput depends on it. The rows are not tracked.
/// </summary>
public static class BulkWriteExtensions
{
    /// <summary>Inserts events; an event id already stored fails the whole statement (primary key).</summary>
    public static async Task InsertEventsAsync(this ProcessingDbContext db, IReadOnlyCollection<LoggedEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }

        var ids = events.Select(e => e.EventId).ToArray();
        var types = events.Select(e => e.EventType).ToArray();
        var users = events.Select(e => e.UserId).ToArray();
        var occurred = events.Select(e => e.OccurredAt).ToArray();
        var recorded = events.Select(e => e.RecordedAt).ToArray();
        var data = events.Select(e => e.Data).ToArray();
        var versions = events.Select(e => e.CatalogVersion).ToArray();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO events (event_id, event_type, user_id, occurred_at, recorded_at, data, catalog_version)
            SELECT * FROM unnest({ids}, {types}, {users}, {occurred}, {recorded}, {data}::jsonb[], {versions})
            """, cancellationToken);
    }

    /// <summary>Stores the catalog snapshots a batch is counted with; a version already stored (by this or another replica) is kept.</summary>
    public static async Task InsertQuestVersionsAsync(this ProcessingDbContext db, IReadOnlyCollection<CatalogQuest> quests, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (quests.Count == 0)
        {
            return;
        }

        var ids = quests.Select(q => q.QuestId).ToArray();
        var versions = quests.Select(q => q.Version).ToArray();
        var definitions = quests.Select(q => JsonSerializer.Serialize(q, ApiDefaults.JsonOptions)).ToArray();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO quest_versions (quest_id, version, definition, recorded_at)
            SELECT q, v, d::jsonb, {now.ToUniversalTime()} FROM unnest({ids}, {versions}, {definitions}) AS t(q, v, d)
            ON CONFLICT (quest_id, version) DO NOTHING
            """, cancellationToken);
    }

    /// <summary>
    /// The advisory lock key of the progress projection as a whole: every batch holds it shared
    /// for its transaction (<see cref="LockPlayersAsync"/>), and a rebuild holds it exclusively
    /// while it switches the projection over, so no batch is half-applied across the switch.
    /// </summary>
    public const long ProjectionLockKey = 0x5155_4553_5450_524A; // "QUESTPRJ"

    /// <summary>
    /// Locks the players for the rest of the transaction: one advisory lock per player, taken in
    /// ascending key order by every replica, so two replicas wait for each other and never
    /// deadlock. Every writer of a player's progress holds it, so rows read after it are current.
    /// First the projection's lock, shared (<see cref="ProjectionLockKey"/>).
    /// </summary>
    public static async Task LockPlayersAsync(this ProcessingDbContext db, Guid[] userIds, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync($"""
            SELECT pg_advisory_xact_lock_shared({ProjectionLockKey});
            SELECT count(pg_advisory_xact_lock(k))
            FROM (SELECT DISTINCT hashtextextended(u::text, 0) AS k FROM unnest({userIds}) AS u ORDER BY k) AS keys
            """, cancellationToken);

    /// <summary>The progress rows of these (player, quest, period) keys that exist; untracked.</summary>
    public static async Task<List<QuestProgress>> LoadProgressAsync(
        this ProcessingDbContext db, IReadOnlyCollection<(Guid UserId, Guid QuestId, DateTimeOffset Period)> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return [];
        }

        var users = keys.Select(k => k.UserId).ToArray();
        var quests = keys.Select(k => k.QuestId).ToArray();
        var periods = keys.Select(k => k.Period).ToArray();
        return await db.QuestProgress
            .FromSql($"""
                SELECT p.* FROM quest_progress AS p
                JOIN unnest({users}, {quests}, {periods}) AS k(user_id, quest_id, period_start)
                  ON p.user_id = k.user_id AND p.quest_id = k.quest_id AND p.period_start = k.period_start
                """)
            .AsNoTracking()
            .ToListAsync(cancellationToken);
    }

    /// <summary>A player's completions of a quest over all its periods.</summary>
    public sealed record CompletionTotal(Guid UserId, Guid QuestId, int Completions);

    public static Task<List<CompletionTotal>> CompletionTotalsAsync(this ProcessingDbContext db, Guid[] userIds, Guid[] questIds, CancellationToken cancellationToken) =>
        db.Database.SqlQuery<CompletionTotal>($"""
            SELECT user_id AS "UserId", quest_id AS "QuestId", sum(completions)::int AS "Completions"
            FROM quest_progress
            WHERE user_id = ANY({userIds}) AND quest_id = ANY({questIds})
            GROUP BY user_id, quest_id
            """).ToListAsync(cancellationToken);

    /// <summary>Writes progress rows, new or changed, of players the caller has locked.</summary>
    public static async Task UpsertProgressAsync(this ProcessingDbContext db, IReadOnlyCollection<QuestProgress> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var users = rows.Select(r => r.UserId).ToArray();
        var quests = rows.Select(r => r.QuestId).ToArray();
        var periods = rows.Select(r => r.PeriodStart).ToArray();
        var progress = rows.Select(r => r.Progress).ToArray();
        var completions = rows.Select(r => r.Completions).ToArray();
        // One text per row ("{1,2,3}"): arrays of arrays must be rectangular, and rows hold different numbers of days.
        var days = rows.Select(r => "{" + string.Join(',', r.Days) + "}").ToArray();
        var spent = rows.Select(r => r.SpentThrough).ToArray();
        var freezesUsed = rows.Select(r => r.FreezesUsed).ToArray();
        var updatedAt = rows.Select(r => r.UpdatedAt).ToArray();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO quest_progress (user_id, quest_id, period_start, progress, completions, days, spent_through, freezes_used, updated_at)
            SELECT u, q, p, g, c, d::integer[], s, f, t
            FROM unnest({users}, {quests}, {periods}, {progress}, {completions}, {days}, {spent}, {freezesUsed}, {updatedAt}) AS r(u, q, p, g, c, d, s, f, t)
            ON CONFLICT (user_id, quest_id, period_start) DO UPDATE
            SET progress = excluded.progress, completions = excluded.completions, days = excluded.days,
                spent_through = excluded.spent_through, freezes_used = excluded.freezes_used, updated_at = excluded.updated_at
            """, cancellationToken);
    }

    /// <summary>Writes the zones of players the caller has locked.</summary>
    public static async Task UpsertZonesAsync(this ProcessingDbContext db, IReadOnlyCollection<PlayerZone> zones, CancellationToken cancellationToken)
    {
        if (zones.Count == 0)
        {
            return;
        }

        var users = zones.Select(z => z.UserId).ToArray();
        var names = zones.Select(z => z.TimeZone).ToArray();
        var changed = zones.Select(z => z.ChangedAt).ToArray();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO player_zones (user_id, time_zone, changed_at)
            SELECT * FROM unnest({users}, {names}, {changed})
            ON CONFLICT (user_id) DO UPDATE SET time_zone = excluded.time_zone, changed_at = excluded.changed_at
            """, cancellationToken);
    }
}
