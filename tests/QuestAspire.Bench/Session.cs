using System.Diagnostics;

namespace QuestAspire.Bench;

/// <summary>
/// The bench's own data on one AppHost, made through the real APIs: an admin token, a streak-1
/// auto-claim quest (every sign-in completes it) with its reward, and signed-up players. The
/// quest and its reward are deactivated at the end.
/// </summary>
public sealed class Session(BenchApi api, QuestRule quest, List<Player> firehosePlayers, List<Player> openLoopPlayers, List<QuestRule> activeQuests)
    : IAsyncDisposable
{
    private const int ProbePlayers = 8;

    public BenchApi Api { get; } = api;

    public QuestRule Quest { get; } = quest;

    public List<Player> FirehosePlayers { get; } = firehosePlayers;

    public List<Player> OpenLoopPlayers { get; } = openLoopPlayers;

    /// <summary>Every active quest (the bench's and the seeded <c>signin_three</c>): the expected counts come from all of them.</summary>
    public List<QuestRule> ActiveQuests { get; } = activeQuests;

    public static async Task<Session> SetUpAsync(BenchHost host, BenchSettings settings, bool openLoop, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var signingKey = await TestTokens.GetSigningKeyAsync(host.App, cancellationToken);
        var admin = TestTokens.Create(signingKey, TestTokens.AdminRole, lifetime: settings.RunTimeout, userName: "bench-admin");
        var api = new BenchApi(host.AuthUrl, host.CatalogUrl, admin);
        var quest = await api.CreateQuestAsync("bench-" + Guid.NewGuid().ToString("N")[..8], duplication: 10_000, cancellationToken);
        var probes = await api.CreatePlayersAsync(ProbePlayers, "bench-probe", cancellationToken);
        var firehosePlayers = await api.CreatePlayersAsync(settings.FirehosePlayers, "bench-fire", cancellationToken);
        var openLoopPlayers = await api.CreatePlayersAsync(openLoop ? settings.OpenLoopPlayers : 0, "bench-loop", cancellationToken);
        await WaitUntilWorkersCountTowardAsync(host, quest, probes, cancellationToken);
        var session = new Session(api, quest, firehosePlayers, openLoopPlayers, await api.ActiveQuestsAsync(cancellationToken));
        Console.WriteLine($"set up in {clock.Elapsed.TotalSeconds:F0} s: quest {quest.Name} ({quest.QuestId}), " +
            $"{firehosePlayers.Count} firehose and {openLoopPlayers.Count} open-loop players; active quests: " +
            string.Join(", ", session.ActiveQuests.Select(q => $"{q.Name} (streak {q.Streak}, duplication {q.Duplication})")));
        return session;
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await Api.DeactivateQuestAsync(Quest, timeout.Token);
        Api.Dispose();
    }

    /// <summary>
    /// Each worker replica keeps its own copy of the catalog and refreshes it every few seconds:
    /// sign-ins of probe players go in rounds (the broker spreads a round over both replicas)
    /// until two rounds in a row complete the new quest for every probe.
    /// </summary>
    private static async Task WaitUntilWorkersCountTowardAsync(BenchHost host, QuestRule quest, List<Player> probes, CancellationToken cancellationToken)
    {
        var users = probes.Select(p => p.UserId).ToArray();
        var goodRounds = 0;
        var round = 0;
        await Poll.UntilAsync($"both worker replicas to count sign-ins toward {quest.Name}", async ct =>
        {
            var before = await CompletionsAsync(host, quest, users, ct);
            var signIns = ++round * users.Length;
            await Broker.PublishConfirmedAsync(host.Rabbit, Firehose.EventsExchange,
                users.Select(u => ("UserSignIn", Firehose.Envelope(u, Guid.NewGuid(), DateTimeOffset.UtcNow))), ct);
            await Poll.UntilAsync($"probe round {round} logged", c => SignInsAsync(host, users, c), n => n >= signIns, TimeSpan.FromSeconds(60), ct);
            var gained = await CompletionsAsync(host, quest, users, ct) - before;
            goodRounds = gained == users.Length ? goodRounds + 1 : 0;
            return $"round {round}: {gained} of {users.Length} probe sign-ins completed it; {goodRounds} good round(s) in a row";
        }, _ => goodRounds >= 2, TimeSpan.FromSeconds(90), cancellationToken);
    }

    private static async Task<long> CompletionsAsync(BenchHost host, QuestRule quest, Guid[] users, CancellationToken cancellationToken)
    {
        await using var command = host.ProcessingDb.CreateCommand(
            "SELECT count(*) FROM events WHERE user_id = ANY($1) AND event_type = 'QuestCompleted' AND data->>'quest_id' = $2");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = users });
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = quest.QuestId.ToString() });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<long> SignInsAsync(BenchHost host, Guid[] users, CancellationToken cancellationToken)
    {
        await using var command = host.ProcessingDb.CreateCommand("SELECT count(*) FROM events WHERE user_id = ANY($1) AND event_type = 'UserSignIn'");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = users });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
