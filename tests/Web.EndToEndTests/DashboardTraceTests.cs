namespace QuestAspire.Web.EndToEndTests;

/// <summary>The product's promise: open the dashboard and follow one sign-in from the form to the reward.</summary>
public sealed class DashboardTraceTests(AppFixture app, BrowserFixture browser) : WebTest(app, browser)
{
    private const string SeededQuest = "signin_three";

    private static readonly (string Service, string Name)[] FromTheFormToTheReward =
    [
        (ResourceNames.Web, "POST /account/login"),
        (ResourceNames.Web, "sign-in"),
        .. TraceAssert.SignInToReward,
    ];

    private readonly AppFixture _app = app;

    [Fact]
    public async Task SignInFromTheWeb_IsOneTraceThroughEveryServiceToTheReward_AndClaimingIsATraceOfItsOwn()
    {
        using var api = new QuestApiClient(App);
        var userName = NewUserName();
        var userId = await api.SignUpAsync(userName, Password);
        for (var signIn = 1; signIn <= 3; signIn++)
        {
            await SignInAsync(userName);
            if (signIn < 3)
            {
                await SignOutAsync();
            }
        }

        // The third sign-in's trace, from the form post in Web to the claim Auth stored.
        var traceId = await _app.Dashboard.FindRewardTraceAsync(userId);
        var trace = await _app.Dashboard.WaitForTraceAsync(traceId, t => TraceAssert.HasAll(t, FromTheFormToTheReward),
            "every step from the sign-in form to the stored claim");
        TraceAssert.IsOneTree(trace);
        var root = trace.Single(s => !trace.Any(p => p.SpanId == s.ParentSpanId));
        Assert.Equal((ResourceNames.Web, "POST /account/login"), (root.Service, root.Name));
        // Catalog.Api is not on the event path: QuestCompleted carries its reward.
        Assert.Equal(
            [ResourceNames.AuthApi, ResourceNames.ProcessingWorker, ResourceNames.Web],
            trace.Select(s => s.Service).Distinct().Order());

        await ScreenshotTraceViewAsync(traceId);

        // Claiming later is a trace of its own, started by the click.
        await Page.GetByTestId("nav-rewards").ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Your rewards" })).ToBeVisibleAsync();
        await WaitUntilInteractiveAsync();
        var claim = Page.Locator($"[data-testid=claim][data-quest='{SeededQuest}']");
        await claim.GetByTestId("claim-button").ClickAsync();
        await Expect(Page.GetByTestId("claim-notice")).ToContainTextAsync("10 diamond added to your wallet");

        var token = await api.SignInAsync(userName, Password);
        var claimId = (await api.GetClaimsAsync(token)).Single(c => c.GetProperty("quest_name").GetString() == SeededQuest).GetProperty("claim_id").GetString();
        var clicked = await QuestApiClient.EventuallyAsync(() => _app.Dashboard.FindSpansAsync(claimId!),
            spans => spans.Any(s => s.Service == ResourceNames.Web && s.Name == "claim reward"), "the Web's span of the claim click",
            DashboardTelemetry.ArrivalTimeout);
        var claimTraceId = clicked.First(s => s.Name == "claim reward").TraceId;
        var claimTrace = await _app.Dashboard.WaitForTraceAsync(claimTraceId,
            t => t.Any(s => s.Service == ResourceNames.AuthApi && s.Name.StartsWith("POST /users/me/claims", StringComparison.Ordinal)),
            "Auth's handling of the claim");
        Assert.NotEqual(traceId, claimTraceId);
        TraceAssert.IsOneTree(claimTrace);
        var claimRoot = claimTrace.Single(s => !claimTrace.Any(p => p.SpanId == s.ParentSpanId));
        Assert.Equal((ResourceNames.Web, "claim reward"), (claimRoot.Service, claimRoot.Name));
        Assert.Equal(("diamond", "10"), (claimRoot["reward.item"], claimRoot["reward.qty"]));
    }

    // The dashboard's own trace view of the trace, as a developer would open it (README screenshot).
    private async Task ScreenshotTraceViewAsync(string traceId)
    {
        var dashboard = await Context.NewPageAsync();
        await dashboard.SetViewportSizeAsync(1600, 1500);
        // The login page checks the browser token, sets its cookie, then goes on to returnUrl.
        var traceView = $"/traces/detail/{traceId}";
        await dashboard.GotoAsync(new Uri(_app.Dashboard.Url,
            $"/login?t={TestAppHost.DashboardBrowserToken(App)}&returnUrl={Uri.EscapeDataString(traceView)}").ToString());
        await Expect(dashboard.GetByText("process QuestCompleted").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(dashboard.GetByText("claim store").First).ToBeVisibleAsync();
        await Screenshots.SaveAsync(dashboard, "dashboard-trace", forReadme: true);
        await dashboard.CloseAsync();
    }
}
