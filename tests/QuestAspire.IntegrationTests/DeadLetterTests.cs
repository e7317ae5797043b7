using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace QuestAspire.IntegrationTests;

/// <summary>
/// Dead letters are visible (the admin API and the <c>messaging.queue.depth</c> gauge) and can be
/// replayed after a fix; replaying is idempotent, so a completion replayed twice pays once.
/// </summary>
public sealed class DeadLetterTests(AppFixture fixture) : IAsyncDisposable
{
    private readonly FaultRig _rig = new(fixture);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DeadLetteredCompletion_IsShownAndReplayed_AndPaysOnceHoweverOftenItIsReplayed()
    {
        var admin = await _rig.Api.SignInAsync("admin", TestAppHost.AdminPassword);
        var (userId, userName) = (await _rig.NewPlayersAsync(1))[0];
        var token = await _rig.Api.SignInAsync(userName);
        var completion = Guid.CreateVersion7();
        var data = new
        {
            quest_id = Guid.NewGuid(), quest_name = "replayed", completion = 1,
            reward_item = "gold", reward_qty = 3, auto_claim = true, catalog_version = 1,
        };

        // As if a bug had dead-lettered the same completion twice (straight into auth-events' dead-letter queue).
        await _rig.PublishAsync("QuestCompleted", userId, data, completion, exchange: "", routingKey: "auth-events.dead-letter");
        await _rig.PublishAsync("QuestCompleted", userId, data, completion, exchange: "", routingKey: "auth-events.dead-letter");

        var depths = await QuestApiClient.EventuallyAsync(() => DeadLettersAsync(admin), d => d["auth-events"] >= 2, "the dead letters shown by the admin API");
        Assert.True(depths["auth-events"] >= 2);
        await QuestApiClient.EventuallyAsync(
            async () => (await ServiceMetrics.ScrapeAsync(fixture.App, ResourceNames.AuthApi)).Sum("messaging_queue_depth",
                ("messaging_destination_name", "auth-events"), ("messaging_queue_role", "dead-letter")),
            depth => depth >= 2, "auth-api's dead-letter depth gauge");

        using (var replay = await QuestApiClient.SendAsync(_rig.Api.Auth, HttpMethod.Post, "/api/admin/dead-letters/replay?queue=auth-events", admin))
        {
            await QuestApiClient.EnsureStatusAsync(replay, HttpStatusCode.OK);
            var replayed = await replay.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.True(replayed.GetProperty("replayed").GetProperty("auth-events").GetInt64() >= 2, $"{replayed}");
        }

        var me = await QuestApiClient.EventuallyAsync(() => _rig.Api.GetMeAsync(token), m => m.GetProperty("gold").GetInt32() >= 3, "the replayed completion's credit");
        Assert.Equal(3, me.GetProperty("gold").GetInt32());
        Assert.Single(await _rig.Api.GetClaimsAsync(token), c => c.GetProperty("quest_name").GetString() == "replayed");
        // Other tests' dead letters (completions of made-up users) were replayed too and came back; ours did not.
        Assert.Equal(0, (await _rig.DeadLettersOfAsync([(userId, userName)]))["auth-events.dead-letter"]);
    }

    [Fact]
    public async Task CompletionWithoutItsReward_IsDeadLetteredAsMalformed_AndPaysNothing()
    {
        var (userId, userName) = (await _rig.NewPlayersAsync(1))[0];
        var token = await _rig.Api.SignInAsync(userName);

        // Auth keeps no catalog copy to fill in a missing reward: a completion must carry it.
        await _rig.PublishAsync("QuestCompleted", userId, new { quest_id = Guid.NewGuid(), quest_name = "no reward", completion = 1, catalog_version = 1 });

        var dead = await QuestApiClient.EventuallyAsync(
            () => _rig.DeadLettersOfAsync([(userId, userName)]), d => d["auth-events.dead-letter"] >= 1, "the completion without a reward in auth-events' dead-letter queue");
        Assert.Equal(1, dead["auth-events.dead-letter"]);
        Assert.DoesNotContain(await _rig.Api.GetClaimsAsync(token), c => c.GetProperty("quest_name").GetString() == "no reward");
    }

    [Fact]
    public async Task ReplayApi_NeedsTheAdminRole_AndKnowsItsQueues()
    {
        var admin = await _rig.Api.SignInAsync("admin", TestAppHost.AdminPassword);
        var (_, userName) = (await _rig.NewPlayersAsync(1))[0];
        var player = await _rig.Api.SignInAsync(userName);

        using var forbidden = await QuestApiClient.SendAsync(_rig.Api.Processing, HttpMethod.Post, "/api/admin/dead-letters/replay", player);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        using var anonymous = await QuestApiClient.SendAsync(_rig.Api.Auth, HttpMethod.Get, "/api/admin/dead-letters", token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var unknown = await QuestApiClient.SendAsync(_rig.Api.Processing, HttpMethod.Post, "/api/admin/dead-letters/replay?queue=auth-events", admin);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);

        var worker = await QuestApiClient.GetAsync(_rig.Api.Processing, "/api/admin/dead-letters", admin);
        Assert.Equal(["processing-catalog", "processing-events", "processing-progress"], worker.EnumerateArray().Select(q => q.GetProperty("queue").GetString()).Order());
    }

    private async Task<Dictionary<string, long>> DeadLettersAsync(string admin) =>
        (await QuestApiClient.GetAsync(_rig.Api.Auth, "/api/admin/dead-letters", admin)).EnumerateArray()
            .ToDictionary(q => q.GetProperty("queue").GetString()!, q => q.GetProperty("dead_letters").GetInt64());

    public ValueTask DisposeAsync() => _rig.DisposeAsync();
}
