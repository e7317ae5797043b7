using System.Diagnostics;
using System.Text.Json;
using Npgsql;

namespace QuestAspire.Bench;

public sealed record FirehoseResult(
    string Sampling, int Events, double PublishSeconds, double EventsPerSecond, double ClaimsPerSecond, int Claims,
    double WallSeconds, IReadOnlyDictionary<string, double> CpuSeconds, bool CountsMatch, string Counts);

/// <summary>
/// N sign-in events published straight to the broker, as Auth's outbox relay publishes them,
/// for players that exist in Auth; then the bench waits until Processing.Worker has logged every
/// one and Auth has stored every claim the quest rules give, and checks the counts exactly.
/// </summary>
public sealed class Firehose(BenchHost host, BenchSettings settings)
{
    public const string EventsExchange = "questaspire.events";
    public const string ProcessingQueue = "processing-events";
    public const string AuthQueue = "auth-events";
    private const string UserSignIn = "UserSignIn";

    public async Task<FirehoseResult> RunAsync(IReadOnlyList<Player> players, IReadOnlyList<QuestRule> activeQuests, CancellationToken cancellationToken)
    {
        var users = players.Select(p => p.UserId).ToArray();
        var events = Enumerable.Range(0, settings.FirehoseEvents).Select(i => (User: users[i % users.Length], EventId: Guid.NewGuid())).ToList();
        var expected = ExpectedCompletions(events.Select(e => e.User), activeQuests, await ProgressAsync(users, cancellationToken));
        var expectedClaims = expected.Values.Sum();

        var start = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var cpuBefore = ProcessCpu.Snapshot();
        Profiler? profiler = null;
        if (settings.ProfileDuration is { } profileFor)
        {
            profiler = new Profiler(Path.Combine(Path.GetTempPath(), "questaspire-bench-profiles"));
            profiler.Start(profileFor);
        }
        await Broker.PublishConfirmedAsync(host.Rabbit, EventsExchange,
            events.Select(e => (UserSignIn, Envelope(e.User, e.EventId, start))), cancellationToken);
        var publishSeconds = clock.Elapsed.TotalSeconds;

        await Poll.UntilAsync($"{events.Count} sign-ins in processingdb.events",
            ct => ScalarAsync(host.ProcessingDb, "SELECT count(*) FROM events WHERE user_id = ANY($1) AND event_type = 'UserSignIn'", users, ct),
            logged => logged >= events.Count, settings.DrainTimeout, cancellationToken);
        await Poll.UntilAsync($"{expectedClaims} claims in authdb.reward_claims",
            ct => ScalarAsync(host.AuthDb, "SELECT count(*) FROM reward_claims WHERE user_id = ANY($1)", users, ct),
            claims => claims >= expectedClaims, settings.DrainTimeout, cancellationToken);
        var wall = clock.Elapsed.TotalSeconds;
        var cpu = ProcessCpu.Delta(cpuBefore, ProcessCpu.Snapshot());
        if (profiler is not null)
        {
            await profiler.ReportAsync(cancellationToken);
        }

        // Nothing left in the queues, so a late duplicate would show in the counts below.
        await Poll.UntilAsync("the event queues to be empty",
            async ct => await Broker.ReadyAsync(host.Rabbit, ProcessingQueue, ct) + await Broker.ReadyAsync(host.Rabbit, AuthQueue, ct),
            ready => ready == 0, settings.DrainTimeout, cancellationToken);

        var eventIds = events.Select(e => e.EventId).ToArray();
        var logged = await ScalarAsync(host.ProcessingDb, "SELECT count(*) FROM events WHERE event_id = ANY($1)", eventIds, cancellationToken);
        var completions = await CountByQuestAsync(host.ProcessingDb,
            "SELECT (data->>'quest_id')::uuid, count(*) FROM events WHERE user_id = ANY($1) AND event_type = 'QuestCompleted' GROUP BY 1", users, cancellationToken);
        var claims = await CountByQuestAsync(host.AuthDb,
            "SELECT quest_id, count(*) FROM reward_claims WHERE user_id = ANY($1) GROUP BY 1", users, cancellationToken);
        var lastRecorded = await TimeAsync(host.ProcessingDb, "SELECT max(recorded_at) FROM events WHERE event_id = ANY($1)", eventIds, cancellationToken);
        var lastClaim = await TimeAsync(host.AuthDb, "SELECT max(created_at) FROM reward_claims WHERE user_id = ANY($1)", users, cancellationToken);

        var match = logged == events.Count
            && activeQuests.All(q => completions.GetValueOrDefault(q.QuestId) == expected[q.QuestId] && claims.GetValueOrDefault(q.QuestId) == expected[q.QuestId])
            && completions.Keys.Concat(claims.Keys).All(expected.ContainsKey);
        var counts = $"logged {logged}/{events.Count}; " + string.Join("; ", activeQuests.Select(q =>
            $"{q.Name}: completions {completions.GetValueOrDefault(q.QuestId)}/{expected[q.QuestId]}, claims {claims.GetValueOrDefault(q.QuestId)}/{expected[q.QuestId]}"));
        var strays = completions.Keys.Concat(claims.Keys).Where(k => !expected.ContainsKey(k)).Distinct().ToList();
        if (strays.Count > 0)
        {
            counts += $"; completions or claims of quests that were not active: {string.Join(", ", strays)}";
        }

        // Rates from the bench's first publish to the last row's own timestamp (same host clock).
        return new FirehoseResult(host.Sampling, events.Count, publishSeconds,
            events.Count / (lastRecorded - start).TotalSeconds, claims.Values.Sum() / (lastClaim - start).TotalSeconds, claims.Values.Sum(),
            wall, cpu, match, counts);
    }

    /// <summary>
    /// The quest rules: each sign-in adds 1 to every active quest not yet completed
    /// <c>Duplication</c> times; reaching <c>Streak</c> is a completion and starts again at 0.
    /// </summary>
    public static Dictionary<Guid, int> ExpectedCompletions(
        IEnumerable<Guid> signIns, IReadOnlyList<QuestRule> quests, Dictionary<(Guid User, Guid Quest), (int Progress, int Completions)> progress)
    {
        var completions = quests.ToDictionary(q => q.QuestId, _ => 0);
        foreach (var user in signIns)
        {
            foreach (var quest in quests)
            {
                var (current, done) = progress.GetValueOrDefault((user, quest.QuestId));
                if (done >= quest.Duplication)
                {
                    continue;
                }

                if (current + 1 >= quest.Streak)
                {
                    progress[(user, quest.QuestId)] = (0, done + 1);
                    completions[quest.QuestId]++;
                }
                else
                {
                    progress[(user, quest.QuestId)] = (current + 1, done);
                }
            }
        }

        return completions;
    }

    public static byte[] Envelope(Guid user, Guid eventId, DateTimeOffset occurredAt) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["event_id"] = eventId,
            ["event_type"] = UserSignIn,
            ["user_id"] = user,
            ["occurred_at"] = occurredAt,
            ["data"] = new Dictionary<string, object>(),
        });

    private async Task<Dictionary<(Guid, Guid), (int, int)>> ProgressAsync(Guid[] users, CancellationToken cancellationToken)
    {
        await using var command = host.ProcessingDb.CreateCommand("SELECT user_id, quest_id, progress, completions FROM quest_progress WHERE user_id = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = users });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var progress = new Dictionary<(Guid, Guid), (int, int)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            progress[(reader.GetGuid(0), reader.GetGuid(1))] = (reader.GetInt32(2), reader.GetInt32(3));
        }

        return progress;
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource database, string sql, Guid[] ids, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = ids });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<DateTimeOffset> TimeAsync(NpgsqlDataSource database, string sql, Guid[] ids, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = ids });
        return new DateTimeOffset((DateTime)(await command.ExecuteScalarAsync(cancellationToken))!, TimeSpan.Zero);
    }

    private static async Task<Dictionary<Guid, int>> CountByQuestAsync(NpgsqlDataSource database, string sql, Guid[] users, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = users });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var counts = new Dictionary<Guid, int>();
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetGuid(0)] = (int)reader.GetInt64(1);
        }

        return counts;
    }
}
