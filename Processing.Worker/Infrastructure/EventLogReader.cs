using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;

namespace QuestAspire.Processing.Worker.Infrastructure;

/// <summary>
/// Streams the event log a player at a time (each player's events in processing order), on a
/// connection of its own, so a replay over millions of events holds one player in memory, not
/// the log. One statement, so one consistent snapshot of the log.
/// </summary>
public static class EventLogReader
{
    private const string Columns = "event_id, event_type, user_id, occurred_at, recorded_at, data::text, catalog_version";

    /// <summary>Every event of these players, or of all players when <paramref name="userIds"/> is null; in <paramref name="transaction"/>, or one of its own.</summary>
    public static IAsyncEnumerable<List<LoggedEvent>> ReadPlayersAsync(NpgsqlConnection connection, Guid[]? userIds, NpgsqlTransaction? transaction, CancellationToken cancellationToken) =>
        ReadAsync(connection, transaction, userIds is null ? "TRUE" : "user_id = ANY(@users)",
            command => command.Parameters.Add(new NpgsqlParameter("users", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = userIds ?? [] }),
            cancellationToken);

    /// <summary>
    /// What a backtest needs: events of <paramref name="types"/> that happened in [from, to), every
    /// zone change, and the <c>QuestCompleted</c> events of <paramref name="completedQuestIds"/>.
    /// </summary>
    public static IAsyncEnumerable<List<LoggedEvent>> ReadForBacktestAsync(
        NpgsqlConnection connection, IReadOnlyList<string> types, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<Guid> completedQuestIds, CancellationToken cancellationToken) =>
        ReadAsync(connection, null, """
            (event_type = ANY(@types) AND occurred_at >= @from AND occurred_at < @to)
            OR event_type = 'TimeZoneChanged'
            OR (event_type = 'QuestCompleted' AND cardinality(@quests) > 0 AND (data->>'quest_id')::uuid = ANY(@quests))
            """,
            command =>
            {
                command.Parameters.Add(new NpgsqlParameter("types", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = types.ToArray() });
                command.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.TimestampTz) { Value = from.UtcDateTime });
                command.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.TimestampTz) { Value = to.UtcDateTime });
                command.Parameters.Add(new NpgsqlParameter("quests", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = completedQuestIds.ToArray() });
            },
            cancellationToken);

    private static async IAsyncEnumerable<List<LoggedEvent>> ReadAsync(
        NpgsqlConnection connection, NpgsqlTransaction? given, string where, Action<NpgsqlCommand> bind, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var own = given is null ? await connection.BeginTransactionAsync(cancellationToken) : null;
        var transaction = given ?? own!;
        // Sorting a few million rows by player in memory is far faster than spilling to disk.
        await using (var setting = new NpgsqlCommand("SET LOCAL work_mem = '256MB'", connection, transaction))
        {
            await setting.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var command = new NpgsqlCommand($"SELECT {Columns} FROM events WHERE {where} ORDER BY user_id", connection, transaction);
        bind(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var player = new List<LoggedEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var e = LoggedEvent.Restore(
                reader.GetGuid(0), reader.GetString(1), reader.GetGuid(2),
                reader.GetFieldValue<DateTimeOffset>(3), reader.GetFieldValue<DateTimeOffset>(4), reader.GetString(5), reader.GetInt64(6));
            if (player.Count > 0 && player[0].UserId != e.UserId)
            {
                yield return [.. LogReplay.InProcessingOrder(player)];
                player = [];
            }

            player.Add(e);
        }

        if (player.Count > 0)
        {
            yield return [.. LogReplay.InProcessingOrder(player)];
        }
    }
}
