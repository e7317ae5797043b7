using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Npgsql;
using RabbitMQ.Client;

namespace QuestAspire.IntegrationTests;

/// <summary>
/// What the fault tests share: players of their own, a stream of real sign-ins over HTTP, the
/// resources' stop and start commands, and the ground truth read from the databases. The truth
/// of what was signed in is Auth's outbox (every sign-in Auth committed wrote one event there),
/// so a sign-in whose HTTP answer was lost in an outage still counts exactly once.
/// </summary>
public sealed class FaultRig(AppFixture fixture) : IAsyncDisposable
{
    public const string SeedQuest = "signin_three";
    public static readonly TimeSpan SettleTimeout = TimeSpan.FromMinutes(3);

    // Queues that must stay empty: nothing earned is dead-lettered because a dependency was down.
    private static readonly string[] DeadLetterQueues = ["processing-events.dead-letter", "auth-events.dead-letter"];

    private NpgsqlDataSource? _authDb;
    private NpgsqlDataSource? _processingDb;
    private IConnection? _rabbit;
    private Guid? _seedQuestId;

    public QuestApiClient Api { get; } = new(fixture.App);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>New players; also learns the seed quest's id while Catalog.Api answers (a test may stop it next).</summary>
    public async Task<IReadOnlyList<(Guid UserId, string UserName)>> NewPlayersAsync(int count)
    {
        _seedQuestId ??= await Api.GetQuestIdAsync(SeedQuest);
        var players = new List<(Guid, string)>(count);
        for (var i = 0; i < count; i++)
        {
            var name = QuestApiClient.NewUserName();
            players.Add((await Api.SignUpAsync(name), name));
        }

        return players;
    }

    /// <summary>
    /// Signs the players in over HTTP, round robin on two lanes, until <paramref name="stop"/> is
    /// cancelled or each has signed in <paramref name="maxPerPlayer"/> times. Failures (an outage)
    /// are counted, not thrown. Answers: how many sign-ins were answered 200, and how many not.
    /// </summary>
    public async Task<(int Ok, int Failed)> SignInStreamAsync(IReadOnlyList<(Guid UserId, string UserName)> players, int maxPerPlayer, CancellationToken stop)
    {
        var ok = 0;
        var failed = 0;
        var lanes = Enumerable.Range(0, 2).Select(lane => Task.Run(async () =>
        {
            for (var round = 0; round < maxPerPlayer && !stop.IsCancellationRequested; round++)
            {
                for (var p = lane; p < players.Count && !stop.IsCancellationRequested; p += 2)
                {
                    try
                    {
                        using var response = await Api.PostSignInAsync(players[p].UserName, "correct-horse");
                        Interlocked.Increment(ref response.StatusCode == HttpStatusCode.OK ? ref ok : ref failed);
                    }
                    catch (Exception e) when (e is HttpRequestException or TimeoutException or TaskCanceledException)
                    {
                        Interlocked.Increment(ref failed);
                    }
                }
            }
        }, CancellationToken.None));
        await Task.WhenAll(lanes);
        return (ok, failed);
    }

    public async Task StopAsync(string resource)
    {
        var commands = fixture.App.Services.GetRequiredService<ResourceCommandService>();
        var notifications = fixture.App.Services.GetRequiredService<ResourceNotificationService>();
        var result = await commands.ExecuteCommandAsync(resource, KnownResourceCommands.StopCommand, Ct).WaitAsync(TestAppHost.StopTimeout, Ct);
        Assert.True(result.Success, $"stopping {resource} failed: {result.Message}");
        await notifications.WaitForResourceAsync(resource, KnownResourceStates.TerminalStates, Ct).WaitAsync(TestAppHost.StopTimeout, Ct);
    }

    /// <summary>Starts a stopped resource and waits until every resource is healthy again, so the next test finds the system whole.</summary>
    public async Task StartAsync(string resource)
    {
        var commands = fixture.App.Services.GetRequiredService<ResourceCommandService>();
        var result = await commands.ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand, Ct).WaitAsync(TestAppHost.StartTimeout, Ct);
        Assert.True(result.Success, $"starting {resource} failed: {result.Message}");
        await TestAppHost.WaitForAllHealthyAsync(fixture.App, Ct);
    }

    /// <summary>
    /// SIGKILLs the processes of one of the two replicas of <paramref name="resource"/> (no graceful
    /// shutdown: unacknowledged deliveries go back to the queue) and answers its instance name, for
    /// <see cref="StartAsync"/> afterwards.
    /// </summary>
    public async Task<string> KillReplicaAsync(string resource)
    {
        var processes = await ReplicasAsync(resource);
        var replicas = processes.GroupBy(p => p.Instance).ToList();
        Assert.True(replicas.Count == 2, $"expected two {resource} replicas with process ids: {string.Join(", ", processes)}");
        foreach (var pid in replicas[0].Select(p => p.Pid))
        {
            try
            {
                Process.GetProcessById(pid).Kill();
            }
            catch (ArgumentException)
            {
                // the launcher's child went down with it
            }
        }

        TestContext.Current.SendDiagnosticMessage($"killed {replicas[0].Key} (pids {string.Join(", ", replicas[0].Select(p => p.Pid))})");
        return replicas[0].Key;
    }

    /// <summary>
    /// The processes of each replica of a project resource in THIS AppHost, as (instance name,
    /// process id; a replica may be a launcher and its child, both listed): the
    /// processes whose environment names the service (<c>OTEL_SERVICE_NAME</c>) and this run's
    /// processing database, which lives on a port of this run's own.
    /// </summary>
    public async Task<IReadOnlyList<(string Instance, int Pid)>> ReplicasAsync(string resource)
    {
        var database = await fixture.App.GetConnectionStringAsync(ResourceNames.ProcessingDb, Ct).AsTask().WaitAsync(QuestApiClient.RequestTimeout, Ct);
        var found = new List<(string, int)>();
        foreach (var proc in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), out var pid))
            {
                continue;
            }

            string[] environment;
            try
            {
                environment = File.ReadAllText(Path.Combine(proc, "environ")).Split('\0');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // gone, or not ours
            }

            if (environment.Contains($"OTEL_SERVICE_NAME={resource}")
                && environment.Contains($"ConnectionStrings__{ResourceNames.ProcessingDb}={database}")
                && environment.FirstOrDefault(v => v.StartsWith("OTEL_RESOURCE_ATTRIBUTES=", StringComparison.Ordinal)) is { } attributes
                && attributes["OTEL_RESOURCE_ATTRIBUTES=".Length..].Split(',').FirstOrDefault(a => a.StartsWith("service.instance.id=", StringComparison.Ordinal)) is { } instance)
            {
                found.Add(($"{resource}-{instance["service.instance.id=".Length..]}", pid));
            }
        }

        return found;
    }

    /// <summary>
    /// How many messages about these players wait in the dead-letter queues that earned work would
    /// land in (other tests' players, e.g. made-up user ids whose completions Auth rightly refuses,
    /// are not counted). Peeks without taking: the messages go back when the channel closes.
    /// </summary>
    public async Task<Dictionary<string, int>> DeadLettersOfAsync(IReadOnlyList<(Guid UserId, string UserName)> players)
    {
        var rabbit = await RabbitAsync();
        var ours = players.Select(p => p.UserId.ToString()).ToArray();
        var found = new Dictionary<string, int>();
        foreach (var queue in DeadLetterQueues)
        {
            await using var channel = await rabbit.CreateChannelAsync(cancellationToken: Ct);
            var depth = (await channel.QueueDeclarePassiveAsync(queue, Ct)).MessageCount;
            var count = 0;
            for (var i = 0; i < depth; i++)
            {
                if (await channel.BasicGetAsync(queue, autoAck: false, Ct) is not { } message)
                {
                    break;
                }

                var body = System.Text.Encoding.UTF8.GetString(message.Body.Span);
                count += ours.Any(id => body.Contains(id, StringComparison.Ordinal)) ? 1 : 0;
            }

            found[queue] = count;
        }

        return found;
    }

    /// <summary>Per player: sign-ins Auth committed, sign-ins the worker logged, the seed quest's completions logged, and Auth's claims for it.</summary>
    public sealed record PlayerCounts(Guid UserId, int Committed, int Logged, int Completions, int Claims)
    {
        /// <summary>What the rules give for <see cref="Committed"/> sign-ins: 3 complete the seed quest once, at most twice.</summary>
        public int ExpectedCompletions => Math.Min(Committed / 3, 2);

        public bool IsExact => Logged == Committed && Completions == ExpectedCompletions && Claims == ExpectedCompletions;
    }

    public async Task<IReadOnlyList<PlayerCounts>> CountAsync(IReadOnlyList<(Guid UserId, string UserName)> players)
    {
        var ids = players.Select(p => p.UserId).ToArray();
        var seedQuestId = _seedQuestId ??= await Api.GetQuestIdAsync(SeedQuest);
        var committed = await CountByUserAsync(await AuthDbAsync(), """
            SELECT (convert_from(payload, 'UTF8')::jsonb->>'user_id')::uuid, count(*)::int FROM outbox_messages
            WHERE event_type IN ('NewUserSignIn', 'UserSignIn') AND (convert_from(payload, 'UTF8')::jsonb->>'user_id')::uuid = ANY(@ids)
            GROUP BY 1
            """, ids, seedQuestId);
        var logged = await CountByUserAsync(await ProcessingDbAsync(), """
            SELECT user_id, count(*)::int FROM events WHERE event_type IN ('NewUserSignIn', 'UserSignIn') AND user_id = ANY(@ids) GROUP BY 1
            """, ids, seedQuestId);
        var completions = await CountByUserAsync(await ProcessingDbAsync(), """
            SELECT user_id, count(*)::int FROM events WHERE event_type = 'QuestCompleted' AND data->>'quest_id' = @quest::text AND user_id = ANY(@ids) GROUP BY 1
            """, ids, seedQuestId);
        var claims = await CountByUserAsync(await AuthDbAsync(), """
            SELECT user_id, count(*)::int FROM reward_claims WHERE quest_id = @quest AND user_id = ANY(@ids) GROUP BY 1
            """, ids, seedQuestId);
        return [.. ids.Select(id => new PlayerCounts(id, committed.GetValueOrDefault(id), logged.GetValueOrDefault(id),
            completions.GetValueOrDefault(id), claims.GetValueOrDefault(id)))];
    }

    /// <summary>Waits until every player's counts are exact by the rules, and checks nothing was dead-lettered.</summary>
    public async Task AssertExactAsync(IReadOnlyList<(Guid UserId, string UserName)> players, int minimumSignIns)
    {
        var counts = await QuestApiClient.EventuallyAsync(() => CountAsync(players), c => c.All(p => p.IsExact),
            "every committed sign-in logged once, and every completion's claim stored once", SettleTimeout);
        var total = counts.Sum(c => c.Committed);
        Assert.True(total >= minimumSignIns, $"the stream committed only {total} sign-ins: {JsonSerializer.Serialize(counts)}");
        Assert.All(await DeadLettersOfAsync(players), dead => Assert.True(dead.Value == 0, $"{dead.Key} holds {dead.Value} message(s) of this test's players"));
    }

    /// <summary>Publishes an event straight to the events exchange, as an outbox relay would (confirmed, mandatory).</summary>
    public async Task PublishAsync(string eventType, Guid userId, object data, Guid? eventId = null, string exchange = "questaspire.events", string? routingKey = null)
    {
        var rabbit = await RabbitAsync();
        await using var channel = await rabbit.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), Ct);
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["event_id"] = eventId ?? Guid.CreateVersion7(),
            ["event_type"] = eventType,
            ["user_id"] = userId,
            ["occurred_at"] = DateTimeOffset.UtcNow,
            ["data"] = data,
        });
        var properties = new BasicProperties { ContentType = "application/json", DeliveryMode = DeliveryModes.Persistent, Type = eventType };
        await channel.BasicPublishAsync(exchange, routingKey ?? eventType, mandatory: true, properties, body, Ct).AsTask().WaitAsync(QuestApiClient.RequestTimeout, Ct);
    }

    public async Task<NpgsqlDataSource> AuthDbAsync() => _authDb ??= await DataSourceAsync(ResourceNames.AuthDb);

    public async Task<NpgsqlDataSource> ProcessingDbAsync() => _processingDb ??= await DataSourceAsync(ResourceNames.ProcessingDb);

    private async Task<NpgsqlDataSource> DataSourceAsync(string database) =>
        NpgsqlDataSource.Create(await fixture.App.GetConnectionStringAsync(database, Ct).AsTask().WaitAsync(QuestApiClient.RequestTimeout, Ct)
            ?? throw new InvalidOperationException($"{database} has no connection string."));

    private async Task<IConnection> RabbitAsync()
    {
        if (_rabbit is { IsOpen: true })
        {
            return _rabbit;
        }

        var connectionString = await fixture.App.GetConnectionStringAsync(ResourceNames.RabbitMQ, Ct).AsTask().WaitAsync(QuestApiClient.RequestTimeout, Ct)
            ?? throw new InvalidOperationException("rabbitmq has no connection string.");
        return _rabbit = await new ConnectionFactory { Uri = new Uri(connectionString) }.CreateConnectionAsync(Ct).WaitAsync(QuestApiClient.RequestTimeout, Ct);
    }

    // A Postgres restart breaks the pooled connections of this test too: such a read is tried again on a fresh one.
    private static async Task<Dictionary<Guid, int>> CountByUserAsync(NpgsqlDataSource database, string sql, Guid[] ids, Guid quest)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryCountByUserAsync(database, sql, ids, quest);
            }
            catch (NpgsqlException e) when (attempt < 5 && (e.IsTransient || e is PostgresException { SqlState: "57P01" or "57P02" or "57P03" }))
            {
                NpgsqlConnection.ClearAllPools();
                await Task.Delay(TimeSpan.FromMilliseconds(500 * attempt), Ct);
            }
        }
    }

    private static async Task<Dictionary<Guid, int>> TryCountByUserAsync(NpgsqlDataSource database, string sql, Guid[] ids, Guid quest)
    {
        await using var command = database.CreateCommand(sql);
        command.Parameters.AddWithValue("ids", ids);
        command.Parameters.AddWithValue("quest", quest);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var counts = new Dictionary<Guid, int>();
        while (await reader.ReadAsync(Ct))
        {
            counts[reader.GetGuid(0)] = reader.GetInt32(1);
        }

        return counts;
    }

    /// <summary>Runs <paramref name="stream"/> until <paramref name="fault"/> is over, then for a short tail.</summary>
    public static async Task<(int Ok, int Failed)> DuringAsync(Func<CancellationToken, Task<(int Ok, int Failed)>> stream, Func<Task> fault)
    {
        using var stop = new CancellationTokenSource();
        var running = stream(stop.Token);
        var clock = Stopwatch.StartNew();
        try
        {
            await fault();
        }
        finally
        {
            stop.CancelAfter(TimeSpan.FromSeconds(3)); // a few more sign-ins after the fault is over
        }

        var result = await running.WaitAsync(SettleTimeout, Ct);
        TestContext.Current.SendDiagnosticMessage($"stream: {result.Ok} ok, {result.Failed} failed, over {clock.Elapsed.TotalSeconds:F0} s");
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        if (_authDb is not null)
        {
            await _authDb.DisposeAsync();
        }

        if (_processingDb is not null)
        {
            await _processingDb.DisposeAsync();
        }

        if (_rabbit is not null)
        {
            await _rabbit.DisposeAsync();
        }
    }
}
