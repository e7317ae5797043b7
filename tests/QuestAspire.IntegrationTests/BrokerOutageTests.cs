namespace QuestAspire.IntegrationTests;

/// <summary>
/// The outbox at work: sign-ins made while RabbitMQ is down are delivered once it is back, in
/// the traces of the requests that made them; meanwhile Auth's outbox lag shows the backlog.
/// </summary>
public sealed class BrokerOutageTests(AppFixture fixture) : IDisposable
{
    private readonly QuestApiClient _api = new(fixture.App);

    [Fact]
    public async Task SignInsWhileRabbitMQIsStopped_AreDeliveredAfterItIsBack()
    {
        var questId = await _api.GetQuestIdAsync("signin_three");
        var userName = QuestApiClient.NewUserName();
        var userId = await _api.SignUpAsync(userName);
        var commands = fixture.App.Services.GetRequiredService<ResourceCommandService>();
        var notifications = fixture.App.Services.GetRequiredService<ResourceNotificationService>();
        var cancellationToken = TestContext.Current.CancellationToken;

        var stop = await commands.ExecuteCommandAsync(ResourceNames.RabbitMQ, KnownResourceCommands.StopCommand, cancellationToken)
            .WaitAsync(TestAppHost.StopTimeout, cancellationToken);
        Assert.True(stop.Success, $"stopping rabbitmq failed: {stop.Message}");
        await notifications.WaitForResourceAsync(ResourceNames.RabbitMQ, KnownResourceStates.TerminalStates, cancellationToken)
            .WaitAsync(TestAppHost.StopTimeout, cancellationToken);

        var token = "";
        try
        {
            // Auth commits each sign-in with its event in the outbox; the relay cannot publish yet.
            for (var i = 0; i < 3; i++)
            {
                token = await _api.SignInAsync(userName);
            }

            // The relay has seen the unsent rows and could not publish them.
            var lagging = await QuestApiClient.EventuallyAsync(
                async () => (await ServiceMetrics.ScrapeAsync(fixture.App, ResourceNames.AuthApi)).Sum("messaging_outbox_lag_seconds"),
                lag => lag >= 1, "auth-api's outbox lag to grow while RabbitMQ is stopped");
            Assert.True(lagging >= 1);
        }
        finally
        {
            var start = await commands.ExecuteCommandAsync(ResourceNames.RabbitMQ, KnownResourceCommands.StartCommand, cancellationToken)
                .WaitAsync(TestAppHost.StartTimeout, cancellationToken);
            Assert.True(start.Success, $"starting rabbitmq failed: {start.Message}");
            await notifications.WaitForResourceHealthyAsync(ResourceNames.RabbitMQ, cancellationToken)
                .WaitAsync(TestAppHost.StartTimeout, cancellationToken);
        }

        var log = await QuestApiClient.EventuallyAsync(
            () => _api.GetEventsAsync(userId, token),
            events => events.Count(e => e.GetProperty("event_type").GetString() is "NewUserSignIn" or "UserSignIn") == 3
                && events.Any(e => e.GetProperty("event_type").GetString() == "QuestCompleted"),
            "the three sign-ins and the completion after RabbitMQ came back",
            TimeSpan.FromMinutes(2));
        Assert.Single(log, e => e.GetProperty("event_type").GetString() == "QuestCompleted"
            && e.GetProperty("data").GetProperty("quest_id").GetGuid() == questId);

        await QuestApiClient.EventuallyAsync(
            () => _api.GetClaimsAsync(token),
            claims => claims.Any(c => c.GetProperty("quest_id").GetGuid() == questId),
            "the claim stored by Auth after RabbitMQ came back");

        // Published seconds after the request ended, still in its trace, down to the claim.
        var traceId = await fixture.Dashboard.FindRewardTraceAsync(userId);
        var trace = await fixture.Dashboard.WaitForTraceAsync(traceId, t => TraceAssert.HasAll(t, TraceAssert.SignInToReward),
            "the delayed sign-in's trace, through to the stored claim");
        TraceAssert.IsOneTree(trace);
        var signIn = TraceAssert.OneSpan(trace, ResourceNames.AuthApi, "sign-in");
        var relay = TraceAssert.OneSpan(trace, ResourceNames.AuthApi, "outbox relay ");
        Assert.Equal(signIn.SpanId, relay.ParentSpanId);
        Assert.True(double.Parse(relay["outbox.wait"] ?? "0", System.Globalization.CultureInfo.InvariantCulture) >= 1,
            $"the row waited in the outbox while RabbitMQ was stopped: outbox.wait = {relay["outbox.wait"]}");
    }

    public void Dispose() => _api.Dispose();
}
