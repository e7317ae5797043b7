namespace QuestAspire.IntegrationTests;

/// <summary>
/// What a developer sees in the Aspire dashboard, read back through its telemetry API: one trace
/// per sign-in through every service to the reward, logs inside it, the counters, and no secrets.
/// </summary>
public sealed class TelemetryTests(AppFixture fixture) : IDisposable
{
    private const string SeededQuest = "signin_three";
    private readonly QuestApiClient _api = new(fixture.App);

    private DashboardTelemetry Dashboard => fixture.Dashboard;

    [Fact]
    public async Task ThirdSignIn_IsOneTrace_ThroughBothMessagingHopsToTheStoredClaim()
    {
        var (userId, _, _) = await _api.NewPlayerSignedInAsync(signIns: 3);

        var traceId = await Dashboard.FindRewardTraceAsync(userId);
        var trace = await Dashboard.WaitForTraceAsync(traceId, t => TraceAssert.HasAll(t, TraceAssert.SignInToReward),
            "every step from the sign-in to the stored claim");

        TraceAssert.IsOneTree(trace);
        // Catalog.Api is not on the event path: each service keeps its own catalog, QuestCompleted carries its reward.
        Assert.Equal(
            [ResourceNames.AuthApi, ResourceNames.ProcessingWorker],
            trace.Select(s => s.Service).Distinct().Order());

        // The relay published the sign-in inside the request that wrote the outbox row.
        var signIn = TraceAssert.OneSpan(trace, ResourceNames.AuthApi, "sign-in");
        var relay = TraceAssert.OneSpan(trace, ResourceNames.AuthApi, "outbox relay ");
        Assert.Equal(signIn.SpanId, relay.ParentSpanId);
        Assert.Equal(userId.ToString(), signIn["user.id"]);

        // The domain attributes a reader looks for.
        var processed = TraceAssert.OneSpan(trace, ResourceNames.ProcessingWorker, "process ", s => !s.IsError);
        Assert.Equal(userId.ToString(), processed["user.id"]);
        Assert.Equal(signIn["event.id"], processed["event.id"]);
        Assert.Equal(SeededQuest, processed["quest.name"]);
        Assert.Equal("0", processed["quest.progress"]);
        Assert.Equal("1", processed["quest.completions"]);
        var claimed = TraceAssert.OneSpan(trace, ResourceNames.AuthApi, "process QuestCompleted");
        Assert.Equal((SeededQuest, "diamond", "10", "Pending"), (claimed["quest.name"], claimed["reward.item"], claimed["reward.qty"], claimed["claim.status"]));

        // The structured logs of the trace name it and the span they were written in.
        var logs = await QuestApiClient.EventuallyAsync(
            () => Dashboard.GetTraceLogsAsync(traceId),
            l => l.Any(r => r.Service == ResourceNames.ProcessingWorker && r.Message.Contains("completed quest", StringComparison.Ordinal))
                && l.Any(r => r.Service == ResourceNames.AuthApi && r.Message.StartsWith("QuestCompleted", StringComparison.Ordinal)),
            "the worker's and Auth's logs of the completion, in the trace", DashboardTelemetry.ArrivalTimeout);
        Assert.All(logs, log => Assert.Equal(traceId, log.TraceId));
        var completedLog = logs.First(r => r.Service == ResourceNames.ProcessingWorker && r.Message.Contains("completed quest", StringComparison.Ordinal));
        Assert.Equal(processed.SpanId, completedLog.SpanId);
    }

    [Fact]
    public async Task ReferenceScenario_MovesEachCounterByWhatHappened()
    {
        var questId = await _api.GetQuestIdAsync(SeededQuest); // before the scrape: the one catalog read of this test
        var before = await ScrapeAllAsync();
        // The public sign-up: an admin-made player would add the admin's own sign-in to the counters.
        var userName = QuestApiClient.NewUserName();
        using (var signUp = await _api.PostSignUpAsync(userName, "correct-horse"))
        {
            await QuestApiClient.EnsureStatusAsync(signUp, System.Net.HttpStatusCode.Created);
        }

        var token = "";
        for (var i = 0; i < 3; i++)
        {
            token = await _api.SignInAsync(userName);
        }

        var claims = await QuestApiClient.EventuallyAsync(() => _api.GetClaimsAsync(token),
            c => c.Any(x => x.GetProperty("quest_id").GetGuid() == questId), "the Pending claim of the third sign-in");
        var claimId = claims.Single(x => x.GetProperty("quest_id").GetGuid() == questId).GetProperty("claim_id").GetGuid();
        using (var claim = await QuestApiClient.SendAsync(_api.Auth, HttpMethod.Post, $"/users/me/claims/{claimId}/claim", token))
        {
            await QuestApiClient.EnsureStatusAsync(claim, System.Net.HttpStatusCode.OK);
        }

        // Counters move when the work commits; the worker's are spread over its replicas.
        var after = await QuestApiClient.EventuallyAsync(ScrapeAllAsync,
            a => Delta(before, a, m => m.Auth, "auth_rewards_credited_total") >= 1
                && Delta(before, a, m => m.Worker, "messaging_event_processing_duration_seconds_count", ("messaging_destination_name", "processing-events")) >= 3,
            "the counters after three sign-ins and a claim");

        Assert.Equal(1, Delta(before, after, m => m.Auth, "auth_sign_ins_total", ("event_type", "NewUserSignIn")));
        Assert.Equal(2, Delta(before, after, m => m.Auth, "auth_sign_ins_total", ("event_type", "UserSignIn")));
        Assert.Equal(1, Delta(before, after, m => m.Worker, "processing_quest_completions_total", ("quest_name", SeededQuest)));
        Assert.Equal(3, Delta(before, after, m => m.Worker, "messaging_event_processing_duration_seconds_count", ("messaging_destination_name", "processing-events")));
        Assert.Equal(1, Delta(before, after, m => m.Auth, "messaging_event_processing_duration_seconds_count", ("messaging_destination_name", "auth-events")));
        Assert.Equal(1, Delta(before, after, m => m.Auth, "auth_claims_stored_total", ("reward_item", "diamond")));
        Assert.Equal(1, Delta(before, after, m => m.Auth, "auth_rewards_credited_total", ("reward_item", "diamond")));
        // (That nothing on the event path reads Catalog.Api is shown by the trace test: no catalog-api span in the sign-in's trace.)
        Assert.Equal(0, Delta(before, after, m => m.Worker, "messaging_dead_lettered_total"));

        // Both outboxes report their lag, which drops to zero once everything is sent.
        var settled = await QuestApiClient.EventuallyAsync(ScrapeAllAsync,
            a => a.Auth.Values("messaging_outbox_lag_seconds").SequenceEqual([0d]) && a.Worker.Values("messaging_outbox_lag_seconds").SequenceEqual([0d, 0d]),
            "every outbox caught up (lag 0 on auth-api and both worker replicas)");
        Assert.NotNull(settled);
    }

    [Fact]
    public async Task PasswordsAndTokens_NeverReachTheDashboard()
    {
        var password = "pw-" + Guid.NewGuid().ToString("N");
        var (userId, userName, token) = await _api.NewPlayerSignedInAsync(signIns: 3, password);

        using (await QuestApiClient.SendAsync(_api.Auth, HttpMethod.Post, "/login/access-token", token: null,
            new FormUrlEncodedContent([new("username", userName), new("password", password + "-wrong")])))
        {
            // a failed attempt, whose password must not be logged either
        }

        await _api.GetClaimsAsync(token);
        await Dashboard.FindRewardTraceAsync(userId); // everything of the sign-ins has arrived by now

        var recorded = string.Join('\n',
            await Dashboard.GetRawAsync("spans?limit=100000"),
            await Dashboard.GetRawAsync("logs?limit=100000"));
        Assert.Contains(userId.ToString(), recorded, StringComparison.Ordinal); // the scan sees this user's telemetry
        Assert.DoesNotContain(password, recorded, StringComparison.Ordinal);
        Assert.DoesNotContain(token, recorded, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Split('.')[2], recorded, StringComparison.Ordinal); // the signature alone
        Assert.DoesNotContain(TestAppHost.AdminPassword, recorded, StringComparison.Ordinal);
    }

    private sealed record Scrape(ServiceMetrics Auth, ServiceMetrics Worker, ServiceMetrics Catalog);

    private async Task<Scrape> ScrapeAllAsync() => new(
        await ServiceMetrics.ScrapeAsync(fixture.App, ResourceNames.AuthApi),
        await ServiceMetrics.ScrapeAsync(fixture.App, ResourceNames.ProcessingWorker, replicas: 2),
        await ServiceMetrics.ScrapeAsync(fixture.App, ResourceNames.CatalogApi));

    private static double Delta(Scrape before, Scrape after, Func<Scrape, ServiceMetrics> service, string name, params (string, string)[] labels) =>
        service(after).Sum(name, labels) - service(before).Sum(name, labels);

    public void Dispose() => _api.Dispose();
}
