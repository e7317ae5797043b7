using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace QuestAspire.IntegrationTests;

/// <summary>
/// The event log as the source of truth, through the running system: a draft quest backtested over
/// the real history, and the progress projection rebuilt from the log while events keep flowing.
/// </summary>
public sealed class EventStoreTests(AppFixture fixture) : IAsyncDisposable
{
    private const string RebuildPath = "/api/admin/progress/rebuild";
    private static readonly TimeSpan RebuildTimeout = TimeSpan.FromMinutes(3);
    private readonly FaultRig _rig = new(fixture);

    private QuestApiClient Api => _rig.Api;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Backtest_OfTheSeedQuestOverAllHistory_EqualsTheLiveQuestCompletedCount()
    {
        // Some history of this test's own: 7 sign-ins complete the seed quest twice, 4 once.
        await Api.NewPlayerSignedInAsync(signIns: 7);
        await Api.NewPlayerSignedInAsync(signIns: 4);
        var seed = await Api.Catalog.GetFromJsonAsync<JsonElement>($"/api/quests/by-name/{FaultRig.SeedQuest}", Ct);
        var seedId = seed.GetProperty("quest_id").GetGuid();
        var draft = new
        {
            quest = new
            {
                name = "seed as a draft",
                streak = seed.GetProperty("streak").GetInt32(),
                duplication = seed.GetProperty("duplication").GetInt32(),
                event_type = "sign_in",
                reward = new { item = "diamond", qty = 10 },
            },
        };
        var admin = await Api.AdminTokenAsync();
        var db = await _rig.ProcessingDbAsync();

        // Live counts move while earlier tests' last events drain: equal once both read the same history.
        var (backtest, live) = await QuestApiClient.EventuallyAsync(async () =>
        {
            var live = await CountAsync(db, "SELECT count(*) FROM events WHERE event_type = 'QuestCompleted' AND data->>'quest_id' = @quest", seedId);
            var answer = await PostAsync(Api.Processing, "/api/admin/backtest", admin, draft, HttpStatusCode.OK);
            return (Backtest: answer, Live: live);
        }, r => r.Backtest.GetProperty("completions").GetInt64() == r.Live, "the backtest's completions to equal the live QuestCompleted count");

        Assert.True(live >= 3, $"expected at least this test's 3 completions, the log has {live}");
        Assert.Equal(live * 10, backtest.GetProperty("reward_totals").GetProperty("diamond").GetInt64());
        Assert.Equal(0, backtest.GetProperty("reward_totals").GetProperty("gold").GetInt64());
        Assert.True(backtest.GetProperty("players").GetInt32() >= 2);
        Assert.True(backtest.GetProperty("events_scanned").GetInt64() >= 11);
        var days = backtest.GetProperty("by_day").EnumerateArray().ToList();
        Assert.Equal(live, days.Sum(d => d.GetProperty("completions").GetInt64()));
        Assert.All(days, d => Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", d.GetProperty("day").GetString()));
    }

    [Fact]
    public async Task Rebuild_AfterAWorkerKillAndABrokerRestart_GivesIdenticalProgress_WhileEventsKeepFlowing()
    {
        // A history with faults in it: a worker replica SIGKILLed, then RabbitMQ restarted, mid-stream.
        var players = await _rig.NewPlayersAsync(4);
        string? victim = null;
        try
        {
            await FaultRig.DuringAsync(stop => _rig.SignInStreamAsync(players, maxPerPlayer: 40, stop), async () =>
            {
                await QuestApiClient.EventuallyAsync(() => _rig.CountAsync(players), c => c.Sum(p => p.Logged) >= 6, "the stream under way");
                victim = await _rig.KillReplicaAsync(ResourceNames.ProcessingWorker);
                var logged = (await _rig.CountAsync(players)).Sum(p => p.Logged);
                await QuestApiClient.EventuallyAsync(() => _rig.CountAsync(players), c => c.Sum(p => p.Logged) >= logged + 4, "the surviving replica carrying on");
                await _rig.StopAsync(ResourceNames.RabbitMQ);
                await _rig.StartAsync(ResourceNames.RabbitMQ);
            });
        }
        finally
        {
            if (victim is not null)
            {
                await _rig.StartAsync(victim);
            }
        }

        await _rig.AssertExactAsync(players, minimumSignIns: 10);
        var db = await _rig.ProcessingDbAsync();
        var ids = players.Select(p => p.UserId).ToArray();
        var live = await ProgressAsync(db, ids);
        Assert.NotEmpty(live);

        // Damage the projection (never the log): a row off by 1000, and a row no event made.
        await ExecuteAsync(db, "UPDATE quest_progress SET progress = progress + 1000 WHERE user_id = @user", ids[0]);
        await ExecuteAsync(db, "INSERT INTO quest_progress (user_id, quest_id, period_start, progress, completions, days, spent_through, freezes_used, updated_at) VALUES (@user, gen_random_uuid(), '2000-01-01T00:00:00Z', 5, 0, '{}', -2147483648, 0, now())", ids[1]);
        Assert.NotEqual(live, await ProgressAsync(db, ids));

        // The rebuild runs while other players keep signing in; their counts must survive the switch-over.
        var flowing = await _rig.NewPlayersAsync(2);
        JsonElement status = default;
        await FaultRig.DuringAsync(stop => _rig.SignInStreamAsync(flowing, maxPerPlayer: 8, stop), async () =>
        {
            var admin = await Api.AdminTokenAsync();
            var started = await PostAsync(Api.Processing, RebuildPath, admin, null, HttpStatusCode.Accepted);
            var rebuildId = started.GetProperty("rebuild_id").GetGuid();
            status = await QuestApiClient.EventuallyAsync(() => QuestApiClient.GetAsync(Api.Processing, $"{RebuildPath}/{rebuildId}", admin),
                s => s.GetProperty("status").GetString() != "running", "the rebuild to finish", RebuildTimeout);
        });

        Assert.True(status.GetProperty("status").GetString() == "completed", $"the rebuild ended {status}");
        Assert.True(status.GetProperty("events_applied").GetInt64() >= status.GetProperty("events_total").GetInt64(), $"every event counted as applied: {status}");
        Assert.True(status.GetProperty("rows_changed").GetInt32() >= 2, $"the rebuild should have repaired the two damaged rows: {status}");
        Assert.Equal(live, await ProgressAsync(db, ids));

        // The players signing in during the rebuild: every event counted once, and their seed progress what the rules give.
        await _rig.AssertExactAsync(flowing, minimumSignIns: 2);
        var seedId = await Api.GetQuestIdAsync(FaultRig.SeedQuest);
        foreach (var count in await _rig.CountAsync(flowing))
        {
            var expected = count.ExpectedCompletions == 2 ? (0, 2) : (count.Committed % 3, count.ExpectedCompletions);
            var rows = (await ProgressAsync(db, [count.UserId])).Where(r => r.QuestId == seedId).Select(r => (r.Progress, r.Completions)).ToList();
            Assert.Equal([expected], rows);
        }
    }

    private sealed record ProgressRow(Guid UserId, Guid QuestId, DateTime PeriodStart, long Progress, int Completions, string Days, int SpentThrough, int FreezesUsed);

    // Every progress field but updated_at (when an event counted, which a replay knows to the batch).
    private static async Task<List<ProgressRow>> ProgressAsync(NpgsqlDataSource db, Guid[] userIds)
    {
        await using var command = db.CreateCommand("""
            SELECT user_id, quest_id, period_start, progress, completions, days::text, spent_through, freezes_used
            FROM quest_progress WHERE user_id = ANY(@users) ORDER BY user_id, quest_id, period_start
            """);
        command.Parameters.AddWithValue("users", userIds);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var rows = new List<ProgressRow>();
        while (await reader.ReadAsync(Ct))
        {
            rows.Add(new(reader.GetGuid(0), reader.GetGuid(1), reader.GetDateTime(2), reader.GetInt64(3), reader.GetInt32(4), reader.GetString(5), reader.GetInt32(6), reader.GetInt32(7)));
        }

        return rows;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource db, string sql, Guid user)
    {
        await using var command = db.CreateCommand(sql);
        command.Parameters.AddWithValue("user", user);
        Assert.True(await command.ExecuteNonQueryAsync(Ct) >= 1);
    }

    private static async Task<long> CountAsync(NpgsqlDataSource db, string sql, Guid quest)
    {
        await using var command = db.CreateCommand(sql);
        command.Parameters.AddWithValue("quest", quest.ToString());
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string path, string token, object? body, HttpStatusCode expected)
    {
        using var response = await QuestApiClient.SendAsync(http, HttpMethod.Post, path, token, body is null ? null : JsonContent.Create(body));
        await QuestApiClient.EnsureStatusAsync(response, expected);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    public ValueTask DisposeAsync() => _rig.DisposeAsync();
}
