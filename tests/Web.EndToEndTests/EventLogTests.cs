namespace QuestAspire.Web.EndToEndTests;

/// <summary>
/// The event log in the browser: a player asks why the seed quest shows what it shows; an admin
/// backtests a draft like the seed quest over all history and rebuilds progress from the log.
/// </summary>
public sealed class EventLogTests(AppFixture app, BrowserFixture browser) : WebTest(app, browser)
{
    private const string SeededQuest = "signin_three";

    // A whole-log rebuild on a system other tests have filled; far more than it takes here.
    private static readonly TimeSpan RebuildTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task ExplainDrawer_OnTheSeedQuest_ListsTheFirstSignInAsCounted()
    {
        var userName = NewUserName();
        await SignUpAsync(userName);
        await SignInAsync(userName);
        await WaitUntilUpToDateAsync();
        var card = QuestCard(SeededQuest);
        await Expect(card.GetByTestId("progress")).ToHaveTextAsync("1 / 3");

        await card.GetByTestId("explain").ClickAsync();

        var drawer = Page.GetByTestId("explain-drawer");
        var rows = drawer.GetByTestId("explain-event");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First.GetByTestId("explain-type")).ToHaveTextAsync("NewUserSignIn");
        await Expect(rows.First.GetByTestId("explain-reason")).ToHaveTextAsync("counted");
        await Expect(rows.First).ToHaveAttributeAsync("data-counted", "true");
        await Screenshots.SaveAsync(Page, "explain-drawer", forReadme: true);

        await drawer.GetByTestId("explain-close").ClickAsync();
        await Expect(drawer).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Backtest_ADraftLikeTheSeedQuestOverAllHistory_ShowsCompletionsAndTheChart()
    {
        // A completion of the seed quest in the log, whatever else this run has logged.
        using var api = new QuestApiClient(App);
        var (userId, _, token) = await api.NewPlayerSignedInAsync(signIns: 3);
        await QuestApiClient.EventuallyAsync(
            () => QuestApiClient.GetAsync(api.Processing, $"/api/users/{userId}/progress", token),
            progress => progress.EnumerateArray().Any(p => p.GetProperty("quest_name").GetString() == SeededQuest && p.GetProperty("completions").GetInt32() == 1),
            "the worker to count the new player's three sign-ins", ProcessingTimeout);

        await SignInAsync("admin", TestAppHost.AdminPassword);
        await Page.GetByTestId("nav-backtest").ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Backtest", Exact = true })).ToBeVisibleAsync();
        await Page.GetByTestId("backtest-copy").SelectOptionAsync(new SelectOptionValue { Label = SeededQuest });
        await Expect(Page.GetByTestId("quest-streak")).ToHaveValueAsync("3");
        await Page.GetByTestId("backtest-from").FillAsync("2000-01-01T00:00");
        await Page.GetByTestId("backtest-run").ClickAsync();

        var result = Page.GetByTestId("backtest-result");
        await Expect(result).ToBeVisibleAsync(new() { Timeout = (float)ProcessingTimeout.TotalMilliseconds });
        var completions = int.Parse(await result.GetByTestId("backtest-completions").InnerTextAsync(), System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(completions >= 1, $"The backtest shows {completions} completions; the new player completed the quest once.");
        await Expect(result.GetByTestId("backtest-cost")).ToContainTextAsync("diamond");
        await Expect(result.Locator("[data-testid=backtest-chart] .rz-column-series path").First).ToBeVisibleAsync();
        await Screenshots.SaveAsync(Page, "backtest", forReadme: true);
    }

    [Fact]
    public async Task Rebuild_FromTheAdminsBacktestPage_ShowsWhatItRebuilt()
    {
        await SignInAsync("admin", TestAppHost.AdminPassword);
        await Page.GetByTestId("nav-backtest").ClickAsync();
        await WaitUntilInteractiveAsync();

        await Page.GetByTestId("rebuild-start").ClickAsync();

        await Expect(Page.GetByTestId("rebuild-done")).ToContainTextAsync("Rebuilt ", new() { Timeout = (float)RebuildTimeout.TotalMilliseconds });
        await Expect(Page.GetByTestId("rebuild-done")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^Rebuilt [\d,]+ players? from [\d,]+ events in \d+\.\d s$"));
        await Expect(Page.GetByTestId("rebuild-error")).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(Page, "rebuild", forReadme: true);
    }
}
