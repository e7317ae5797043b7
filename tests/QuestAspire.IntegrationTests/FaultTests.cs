using System.Diagnostics;

namespace QuestAspire.IntegrationTests;

/// <summary>
/// Single faults in the middle of real traffic, through the resources' own stop and start
/// commands or a SIGKILL: afterwards every sign-in Auth committed is logged once, the seed quest's
/// counts are exact, every completion's claim is stored once, and nothing was dead-lettered.
/// </summary>
public sealed class FaultTests(AppFixture fixture) : IAsyncDisposable
{
    private static readonly TimeSpan PostgresOutage = TimeSpan.FromSeconds(30);
    private readonly FaultRig _rig = new(fixture);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CatalogApiStopped_ThirdSignIn_StillEndsInAStoredClaim_WithinSeconds()
    {
        var players = await _rig.NewPlayersAsync(1);
        await _rig.StopAsync(ResourceNames.CatalogApi);
        try
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < 3; i++)
            {
                await _rig.Api.SignInAsync(players[0].UserName);
            }

            var counts = await QuestApiClient.EventuallyAsync(() => _rig.CountAsync(players), c => c.Single().Claims == 1,
                "the claim of the third sign-in while catalog-api is stopped", TimeSpan.FromSeconds(20));
            TestContext.Current.SendDiagnosticMessage($"claim stored {clock.Elapsed.TotalSeconds:F1} s after the first sign-in, catalog-api stopped");
            Assert.True(counts.Single().IsExact, $"{counts.Single()}");
            Assert.All(await _rig.DeadLettersOfAsync(players), dead => Assert.Equal(0, dead.Value));
        }
        finally
        {
            await _rig.StartAsync(ResourceNames.CatalogApi);
        }
    }

    [Fact]
    public async Task AuthApiStopped_WhileAPlayerCompletesAQuest_TheClaimArrivesOnceAfterItIsBack()
    {
        var players = await _rig.NewPlayersAsync(1);
        var (userId, userName) = players[0];
        await _rig.Api.SignInAsync(userName);
        await _rig.Api.SignInAsync(userName);
        await QuestApiClient.EventuallyAsync(() => _rig.CountAsync(players), c => c.Single().Logged == 2, "two sign-ins logged");

        await _rig.StopAsync(ResourceNames.AuthApi);
        try
        {
            // The third sign-in, as Auth's relay had published it just before Auth went away.
            await _rig.PublishAsync("UserSignIn", userId, new { });
            await QuestApiClient.EventuallyAsync(() => _rig.CountAsync(players), c => c.Single().Completions == 1,
                "the worker's QuestCompleted while auth-api is stopped");
        }
        finally
        {
            await _rig.StartAsync(ResourceNames.AuthApi);
        }

        var claims = await QuestApiClient.EventuallyAsync(() => _rig.CountAsync(players), c => c.Single().Claims >= 1,
            "the claim once auth-api is back");
        Assert.Equal(1, claims.Single().Claims);
        Assert.All(await _rig.DeadLettersOfAsync(players), dead => Assert.Equal(0, dead.Value));
    }

    [Fact]
    public async Task PostgresStoppedFor30Seconds_MidStream_EveryEventCountedOnce_EveryClaimStoredOnce()
    {
        var players = await _rig.NewPlayersAsync(6);

        var stream = await FaultRig.DuringAsync(stop => _rig.SignInStreamAsync(players, maxPerPlayer: 40, stop), async () =>
        {
            await QuestApiClient.EventuallyAsync(() => _rig.CountAsync(players), c => c.Sum(p => p.Logged) >= 6, "the stream under way");
            await _rig.StopAsync(ResourceNames.Postgres);
            try
            {
                await Task.Delay(PostgresOutage, Ct); // the outage itself, as the scenario defines it
            }
            finally
            {
                await _rig.StartAsync(ResourceNames.Postgres);
            }
        });

        Assert.True(stream.Ok > 0, "no sign-in succeeded");
        await _rig.AssertExactAsync(players, minimumSignIns: 6);
    }

    [Fact]
    public async Task WorkerReplicaKilledMidStream_CountsStayExact()
    {
        var players = await _rig.NewPlayersAsync(6);
        string? victim = null;
        await FaultRig.DuringAsync(stop => _rig.SignInStreamAsync(players, maxPerPlayer: 30, stop), async () =>
        {
            var before = await QuestApiClient.EventuallyAsync(() => _rig.CountAsync(players), c => c.Sum(p => p.Logged) >= 6, "the stream under way");
            victim = await _rig.KillReplicaAsync(ResourceNames.ProcessingWorker);
            TestContext.Current.SendDiagnosticMessage($"killed {victim} after {before.Sum(p => p.Logged)} sign-ins were logged");
            await QuestApiClient.EventuallyAsync(() => _rig.CountAsync(players), c => c.Sum(p => p.Logged) >= before.Sum(p => p.Logged) + 6,
                "the surviving replica carrying on");
        });

        try
        {
            await _rig.AssertExactAsync(players, minimumSignIns: 12);
        }
        finally
        {
            if (victim is not null)
            {
                await _rig.StartAsync(victim); // the next tests expect both replicas, whatever happened here
            }
        }
    }

    [Fact]
    public async Task RabbitMQRestartedMidStream_CountsStayExact()
    {
        var players = await _rig.NewPlayersAsync(6);

        // Enough sign-ins that the stream is still going when the broker stops, however long the
        // first ones take to be logged (the stream itself ends 3 s after the fault).
        await FaultRig.DuringAsync(stop => _rig.SignInStreamAsync(players, maxPerPlayer: 200, stop), async () =>
        {
            await QuestApiClient.EventuallyAsync(() => _rig.CountAsync(players), c => c.Sum(p => p.Logged) >= 6, "the stream under way");
            await _rig.StopAsync(ResourceNames.RabbitMQ);
            try
            {
                // Sign-ins go on while the broker is away: Auth commits them with their events in its outbox.
                var committed = (await _rig.CountAsync(players)).Sum(p => p.Committed);
                await QuestApiClient.EventuallyAsync(() => _rig.CountAsync(players), c => c.Sum(p => p.Committed) >= committed + 6,
                    "sign-ins committed while RabbitMQ is stopped");
            }
            finally
            {
                await _rig.StartAsync(ResourceNames.RabbitMQ);
            }
        });

        await _rig.AssertExactAsync(players, minimumSignIns: 12);
    }

    public ValueTask DisposeAsync() => _rig.DisposeAsync();
}
