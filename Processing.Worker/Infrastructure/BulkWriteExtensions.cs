using Microsoft.EntityFrameworkCore;

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
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO events (event_id, event_type, user_id, occurred_at, recorded_at, data)
            SELECT * FROM unnest({ids}, {types}, {users}, {occurred}, {recorded}, {data}::jsonb[])
            """, cancellationToken);
    }

    /// <summary>
    /// Creates the progress rows that do not exist yet, at zero; existing ones are left alone.
    /// Never fails on a row another transaction inserts at the same time: Postgres makes this
    /// statement wait for that transaction and then skip the row. Rows go in one order for every
    /// replica, so two inserting the same rows wait for each other rather than deadlock.
    /// </summary>
    public static async Task EnsureProgressRowsAsync(this ProcessingDbContext db, IReadOnlyList<(Guid UserId, Guid QuestId)> rows, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var users = rows.Select(r => r.UserId).ToArray();
        var quests = rows.Select(r => r.QuestId).ToArray();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO quest_progress (user_id, quest_id, progress, completions, updated_at)
            SELECT u, q, 0, 0, {at} FROM unnest({users}, {quests}) AS r(u, q)
            ORDER BY u, q
            ON CONFLICT (user_id, quest_id) DO NOTHING
            """, cancellationToken);
    }

    /// <summary>Updates progress rows the caller has locked.</summary>
    public static async Task UpdateProgressAsync(this ProcessingDbContext db, IReadOnlyCollection<QuestProgress> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var (users, quests, progress, completions, updatedAt) = Columns(rows);
        await db.Database.ExecuteSqlAsync($"""
            UPDATE quest_progress AS p
            SET progress = u.progress, completions = u.completions, updated_at = u.updated_at
            FROM unnest({users}, {quests}, {progress}, {completions}, {updatedAt}) AS u(user_id, quest_id, progress, completions, updated_at)
            WHERE p.user_id = u.user_id AND p.quest_id = u.quest_id
            """, cancellationToken);
    }

    private static (Guid[] Users, Guid[] Quests, int[] Progress, int[] Completions, DateTimeOffset[] UpdatedAt) Columns(IReadOnlyCollection<QuestProgress> rows) =>
        ([.. rows.Select(r => r.UserId)], [.. rows.Select(r => r.QuestId)], [.. rows.Select(r => r.Progress)],
            [.. rows.Select(r => r.Completions)], [.. rows.Select(r => r.UpdatedAt)]);
}
