using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using QuestAspire.Quests;

namespace QuestAspire.Processing.Worker.Services;

/// <summary>
/// Rebuilds the progress projection (<c>quest_progress</c>) from the event log while live events
/// keep flowing, then switches it over atomically. Each player's stream is replayed through the
/// rules with the quest definitions live processing used for each event (<see cref="CatalogHistory"/>)
/// into a shadow table. Players whose streams grew meanwhile are replayed again. Then, holding the
/// projection lock exclusively (every batch holds it shared, so none is half-applied), the last
/// such players are replayed and the differences between the shadow and the live table are applied
/// in one transaction. Readers see the old projection until that commit and the new one after it.
/// One rebuild runs at a time across replicas; its status is a row any replica can read.
/// </summary>
public sealed class ProgressRebuilder(
    IServiceScopeFactory scopes,
    QuestCatalog catalog,
    QuestEngine engine,
    TimeProvider timeProvider,
    ILogger<ProgressRebuilder> logger) : IHostedService, IDisposable
{
    private const string Shadow = "quest_progress_rebuild";
    private const int CatchUpRounds = 3;
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private Task _running = Task.CompletedTask;

    /// <summary>Starts a rebuild, or answers the one already running (on any replica): its id, and whether this call started it.</summary>
    public async Task<(Guid RebuildId, bool Started)> StartRebuildAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ProcessingDbContext>();
        var now = timeProvider.GetUtcNow();

        // A rebuild whose replica died is failed, so it no longer holds the one running slot.
        await db.ProgressRebuilds
            .Where(r => r.Status == ProgressRebuild.Running && r.HeartbeatAt < now - ProgressRebuild.HeartbeatTimeout)
            .ExecuteUpdateAsync(set => set
                .SetProperty(r => r.Status, ProgressRebuild.Failed)
                .SetProperty(r => r.FinishedAt, now)
                .SetProperty(r => r.Error, "The worker replica running the rebuild stopped; the progress was not switched over."), cancellationToken);

        var rebuild = ProgressRebuild.Start(Guid.CreateVersion7(), now);
        var inserted = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO progress_rebuilds (rebuild_id, status, events_applied, events_total, players, rows_changed, started_at, heartbeat_at)
            VALUES ({rebuild.RebuildId}, {ProgressRebuild.Running}, 0, 0, 0, 0, {rebuild.StartedAt}, {rebuild.HeartbeatAt})
            ON CONFLICT DO NOTHING
            """, cancellationToken);
        if (inserted == 0)
        {
            var running = await db.ProgressRebuilds.AsNoTracking().Where(r => r.Status == ProgressRebuild.Running).Select(r => r.RebuildId).FirstAsync(cancellationToken);
            return (running, false);
        }

        lock (_lock)
        {
            var previous = _running;
            _running = Task.Run(async () =>
            {
                await previous;
                await RunAsync(rebuild.RebuildId, _stopping.Token);
            }, CancellationToken.None);
        }

        return (rebuild.RebuildId, true);
    }

    Task IHostedService.StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _stopping.Dispose();

    async Task IHostedService.StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _running.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task RunAsync(Guid rebuildId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ProcessingDbContext>();
        var clock = Stopwatch.StartNew();
        try
        {
            var run = new Run(engine, timeProvider, db, rebuildId, await CatalogHistory.LoadAsync(db, await catalog.GetAsync(cancellationToken), logger, cancellationToken));
            var rowsChanged = await run.ExecuteAsync(cancellationToken);
            await UpdateAsync(db, rebuildId, r => r.Complete(run.EventsApplied, run.Players, rowsChanged, timeProvider.GetUtcNow()), CancellationToken.None);
            logger.LogInformation("Progress rebuild {RebuildId} completed in {Elapsed}: {Events} events of {Players} players, {Rows} progress rows changed",
                rebuildId, clock.Elapsed, run.EventsApplied, run.Players, rowsChanged);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Progress rebuild {RebuildId} failed after {Elapsed}; the live progress is unchanged", rebuildId, clock.Elapsed);
            var reason = e is OperationCanceledException ? "The worker stopped during the rebuild." : e.Message;
            await UpdateAsync(db, rebuildId, r => r.Fail(reason[..Math.Min(reason.Length, 2000)], timeProvider.GetUtcNow()), CancellationToken.None)
                .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private static async Task UpdateAsync(ProcessingDbContext db, Guid rebuildId, Action<ProgressRebuild> change, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var row = await db.ProgressRebuilds.SingleAsync(r => r.RebuildId == rebuildId, cancellationToken);
        change(row);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>One rebuild: the shadow table, the players' event counts it was built from, and its progress.</summary>
    private sealed class Run(QuestEngine engine, TimeProvider timeProvider, ProcessingDbContext db, Guid rebuildId, CatalogHistory history)
    {
        private readonly Dictionary<Guid, long> _counts = [];
        private readonly string _connectionString = db.Database.GetConnectionString()
            ?? throw new InvalidOperationException("The processing database has no connection string.");
        private long _eventsTotal;
        private long _lastHeartbeat;

        public long EventsApplied { get; private set; }

        public int Players => _counts.Count;

        public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
        {
            await using var write = await OpenAsync(cancellationToken);
            _eventsTotal = await ScalarAsync<long>(write, null, "SELECT count(*) FROM events", cancellationToken);
            await ExecuteAsync(write, null, $"DROP TABLE IF EXISTS {Shadow}; CREATE UNLOGGED TABLE {Shadow} (LIKE quest_progress INCLUDING ALL)", cancellationToken);
            try
            {
                await ReplayAsync(write, null, null, cancellationToken);

                // Players whose streams grew while the pass ran, again, until few are left.
                for (var round = 0; round < CatchUpRounds; round++)
                {
                    var grown = await GrownPlayersAsync(write, null, cancellationToken);
                    if (grown.Length == 0)
                    {
                        break;
                    }

                    await ReplayAsync(write, null, grown, cancellationToken);
                }

                return await SwitchOverAsync(write, cancellationToken);
            }
            finally
            {
                await ExecuteAsync(write, null, $"DROP TABLE IF EXISTS {Shadow}", CancellationToken.None);
            }
        }

        // No batch runs while the projection lock is held exclusively: the streams read now are
        // complete, and the shadow's differences go to the live table in the same transaction.
        private async Task<int> SwitchOverAsync(NpgsqlConnection write, CancellationToken cancellationToken)
        {
            await using var transaction = await write.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(write, transaction, $"SELECT pg_advisory_xact_lock({BulkWriteExtensions.ProjectionLockKey})", cancellationToken);
            var grown = await GrownPlayersAsync(write, transaction, cancellationToken);
            if (grown.Length > 0)
            {
                await ReplayAsync(write, transaction, grown, cancellationToken);
            }

            var deleted = await ExecuteAsync(write, transaction, $"""
                DELETE FROM quest_progress AS p
                WHERE NOT EXISTS (SELECT 1 FROM {Shadow} AS r WHERE r.user_id = p.user_id AND r.quest_id = p.quest_id AND r.period_start = p.period_start)
                """, cancellationToken);
            // updated_at is when an event counted, which a replay knows only to the batch: a row that differs in nothing else is left alone.
            var written = await ExecuteAsync(write, transaction, $"""
                INSERT INTO quest_progress (user_id, quest_id, period_start, progress, completions, days, spent_through, freezes_used, updated_at)
                SELECT user_id, quest_id, period_start, progress, completions, days, spent_through, freezes_used, updated_at FROM {Shadow}
                ON CONFLICT (user_id, quest_id, period_start) DO UPDATE
                SET progress = excluded.progress, completions = excluded.completions, days = excluded.days,
                    spent_through = excluded.spent_through, freezes_used = excluded.freezes_used, updated_at = excluded.updated_at
                WHERE (quest_progress.progress, quest_progress.completions, quest_progress.days, quest_progress.spent_through, quest_progress.freezes_used)
                    IS DISTINCT FROM (excluded.progress, excluded.completions, excluded.days, excluded.spent_through, excluded.freezes_used)
                """, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return deleted + written;
        }

        // The players whose event count differs from the one their shadow rows were built from.
        private async Task<Guid[]> GrownPlayersAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
        {
            var grown = new List<Guid>();
            await using var command = new NpgsqlCommand("SELECT user_id, count(*) FROM events GROUP BY user_id", connection, transaction);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var (userId, count) = (reader.GetGuid(0), reader.GetInt64(1));
                if (_counts.GetValueOrDefault(userId) != count)
                {
                    grown.Add(userId);
                }
            }

            return [.. grown];
        }

        // Replays the players' whole streams (all players when null) into the shadow table, replacing their rows there.
        private async Task ReplayAsync(NpgsqlConnection write, NpgsqlTransaction? transaction, Guid[]? userIds, CancellationToken cancellationToken)
        {
            if (userIds is not null)
            {
                await ExecuteAsync(write, transaction, $"DELETE FROM {Shadow} WHERE user_id = ANY(@users)", cancellationToken,
                    new NpgsqlParameter("users", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = userIds });
            }

            // Inside the switch-over the streams are read in its transaction, which holds the lock; before it, on a connection of their own.
            await using var own = transaction is null ? await OpenAsync(cancellationToken) : null;
            var rows = new List<QuestProgress>();
            await foreach (var stream in EventLogReader.ReadPlayersAsync(own ?? write, userIds, transaction, cancellationToken))
            {
                rows.AddRange(ReplayPlayer(stream));
                EventsApplied += stream.Count - _counts.GetValueOrDefault(stream[0].UserId);
                _counts[stream[0].UserId] = stream.Count;
                if (rows.Count >= 5000 && transaction is null)
                {
                    await CopyAsync(write, rows, cancellationToken);
                    rows.Clear();
                }

                await HeartbeatAsync(cancellationToken);
            }

            await CopyAsync(write, rows, cancellationToken);
        }

        // One player's rows as live processing would have them: those an event counted toward.
        private List<QuestProgress> ReplayPlayer(List<LoggedEvent> stream)
        {
            var player = new PlayerProgress(stream[0].UserId, QuestSchedule.ZoneOf(null));
            var counted = new HashSet<QuestProgress>(ReferenceEqualityComparer.Instance);
            LogReplay.Replay(engine, e => history.At(e.CatalogVersion).Active, stream, _ => player, (_, _, outcome) =>
            {
                if (outcome is { Counted: true, Row: { } row })
                {
                    counted.Add(row);
                }
            });
            return [.. counted];
        }

        private static async Task CopyAsync(NpgsqlConnection write, List<QuestProgress> rows, CancellationToken cancellationToken)
        {
            if (rows.Count == 0)
            {
                return;
            }

            await using var importer = await write.BeginBinaryImportAsync(
                $"COPY {Shadow} (user_id, quest_id, period_start, progress, completions, days, spent_through, freezes_used, updated_at) FROM STDIN (FORMAT BINARY)",
                cancellationToken);
            foreach (var row in rows)
            {
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync(row.UserId, NpgsqlDbType.Uuid, cancellationToken);
                await importer.WriteAsync(row.QuestId, NpgsqlDbType.Uuid, cancellationToken);
                await importer.WriteAsync(row.PeriodStart.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
                await importer.WriteAsync(row.Progress, NpgsqlDbType.Bigint, cancellationToken);
                await importer.WriteAsync(row.Completions, NpgsqlDbType.Integer, cancellationToken);
                await importer.WriteAsync(row.Days, NpgsqlDbType.Array | NpgsqlDbType.Integer, cancellationToken);
                await importer.WriteAsync(row.SpentThrough, NpgsqlDbType.Integer, cancellationToken);
                await importer.WriteAsync(row.FreezesUsed, NpgsqlDbType.Integer, cancellationToken);
                await importer.WriteAsync(row.UpdatedAt.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
            }

            await importer.CompleteAsync(cancellationToken);
        }

        private async Task HeartbeatAsync(CancellationToken cancellationToken)
        {
            var now = timeProvider.GetTimestamp();
            if (timeProvider.GetElapsedTime(_lastHeartbeat, now) < HeartbeatInterval)
            {
                return;
            }

            _lastHeartbeat = now;
            await UpdateAsync(db, rebuildId, r => r.Report(EventsApplied, Math.Max(_eventsTotal, EventsApplied), Players, timeProvider.GetUtcNow()), cancellationToken);
        }

        private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
        {
            var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync(cancellationToken);
            return connection;
        }

        private static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            command.Parameters.AddRange(parameters);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }

        private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
    }
}
