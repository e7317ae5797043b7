using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Time.Testing;
using QuestAspire.Web.Components.Pages.Admin;
using QuestAspire.Web.Extensions;

namespace QuestAspire.Web.ComponentTests;

/// <summary>The backtest page: a draft quest and a range sent to the worker, its totals and chart shown, its field errors by the fields; and the rebuild button.</summary>
public sealed class BacktestPageTests : BunitContext
{
    private static readonly Reward Diamonds = new(Guid.NewGuid(), "signin_three", "diamond", 10, true);
    private static readonly Quest SignInThree = new(Guid.NewGuid(), "signin_three", "Sign in 3 times", 3, 2, false, true, Diamonds);

    // Bounds every wait: the suite runs its classes in parallel on a shared machine.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-03T10:15:30Z", CultureInfo.InvariantCulture));
    private readonly List<string> _bodies = [];

    /// <summary>The catalog lists the seed quest; <paramref name="worker"/> answers the worker's admin calls.</summary>
    private FakeApi Use(Func<HttpRequestMessage, HttpResponseMessage> worker)
    {
        var api = new FakeApi(async request =>
        {
            await Task.Yield();
            if (request.RequestUri!.Host == "catalog-api")
            {
                return FakeApi.Response(HttpStatusCode.OK, new[] { SignInThree });
            }

            if (request.Content is not null)
            {
                var body = await request.Content.ReadAsStringAsync();
                lock (_bodies)
                {
                    _bodies.Add(body);
                }
            }

            return worker(request);
        });
        Services.AddWebClients(api);
        Services.AddSingleton<TimeProvider>(_time);
        Services.AddChartComponents();
        // Radzen's chart asks the browser for its size, then draws itself (SVG, in C#) to fit; other calls (its mouse and resize hooks) need no answer.
        JSInterop.Mode = JSRuntimeMode.Loose;
        JSInterop.Setup<Radzen.Blazor.Rendering.Rect>("Radzen.createChart", _ => true).SetResult(new() { Width = 800, Height = 300 });
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return api;
    }

    [Fact]
    public void Backtest_ADraftLikeTheSeedQuest_SendsItsFieldsAndShowsTotalsAndAChartColumnPerDay()
    {
        var result = new BacktestResult(1_234_567, 3, 5, new RewardTotals(0, 50),
        [
            new BacktestDay(new DateOnly(2026, 12, 1), 2),
            new BacktestDay(new DateOnly(2026, 12, 2), 3),
        ]);
        var api = Use(_ => FakeApi.Response(HttpStatusCode.OK, result));
        var page = Render<BacktestPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=backtest-copy] option")), Patience);

        page.Find("[data-testid=backtest-copy]").Change(SignInThree.QuestId.ToString());
        page.Find("#backtest-from").Change("2026-01-01T00:00");
        page.Find("[data-testid=backtest-form]").Submit();

        page.WaitForAssertion(() => Assert.Equal("5", page.Find("[data-testid=backtest-completions]").TextContent), Patience);
        Assert.Equal("3", page.Find("[data-testid=backtest-players]").TextContent);
        Assert.Equal("0 gold, 50 diamond", page.Find("[data-testid=backtest-cost]").TextContent);
        Assert.Equal("1,234,567", page.Find("[data-testid=backtest-events]").TextContent);
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=backtest-chart]").QuerySelector(".rz-chart svg")), Patience);
        var chart = page.Find("[data-testid=backtest-chart]");
        Assert.NotNull(chart.QuerySelector(".rz-chart svg"));
        Assert.Equal(2, chart.QuerySelectorAll(".rz-column-series path").Length);
        Assert.Contains("2026-12-01", chart.TextContent, StringComparison.Ordinal);

        var request = Assert.Single(api.Requests, r => r.RequestUri!.Host == "processing-worker");
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("/api/admin/backtest", request.RequestUri!.AbsolutePath);
        var body = JsonDocument.Parse(Assert.Single(_bodies)).RootElement;
        var quest = body.GetProperty("quest");
        Assert.Equal("signin_three (draft)", quest.GetProperty("name").GetString());
        Assert.Equal(3, quest.GetProperty("streak").GetInt32());
        Assert.Equal(2, quest.GetProperty("duplication").GetInt32());
        Assert.Equal("sign_in", quest.GetProperty("event_type").GetString());
        Assert.Equal("count", quest.GetProperty("kind").GetString());
        Assert.Equal("diamond", quest.GetProperty("reward").GetProperty("item").GetString());
        Assert.Equal(10, quest.GetProperty("reward").GetProperty("qty").GetInt32());
        Assert.Equal(DateTimeOffset.Parse("2026-01-01T00:00:00Z", CultureInfo.InvariantCulture), body.GetProperty("from").GetDateTimeOffset());
        Assert.Equal(DateTimeOffset.Parse("2026-12-03T10:16:00Z", CultureInfo.InvariantCulture), body.GetProperty("to").GetDateTimeOffset());
    }

    [Fact]
    public void Backtest_FieldsTheWorkerRejects_ShowItsMessagesByThem()
    {
        var problem = new
        {
            status = 400,
            errors = new Dictionary<string, string[]>
            {
                ["quest.streak"] = ["streak must be at least 1."],
                ["quest.reset"] = ["reset must be null, daily, weekly or a five-field cron expression."],
                ["quest.reward.qty"] = ["qty must be at least 1."],
                ["from"] = ["from must be before to."],
                ["to"] = ["to must not be in the future."],
            },
        };
        Use(_ => FakeApi.Response(HttpStatusCode.BadRequest, problem, "application/problem+json"));
        var page = Render<BacktestPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=backtest-copy] option")), Patience);

        page.Find("#quest-streak").Change("0");
        page.Find("[data-testid=backtest-form]").Submit();

        page.WaitForAssertion(() => Assert.Equal("streak must be at least 1.", page.Find("[data-testid='error-quest.streak']").TextContent), Patience);
        foreach (var field in problem.errors.Keys)
        {
            Assert.Equal(problem.errors[field][0], page.Find($"[data-testid='error-{field}']").TextContent);
        }

        Assert.Contains("Please correct the fields marked below.", page.Find("[data-testid=backtest-error]").TextContent, StringComparison.Ordinal);
        foreach (var input in new[] { "#quest-streak", "#quest-reset", "#backtest-reward-qty", "#backtest-from", "#backtest-to" })
        {
            Assert.Equal("true", page.Find(input).GetAttribute("aria-invalid"));
        }

        Assert.Null(page.Find("#quest-duplication").GetAttribute("aria-invalid"));
        Assert.Empty(page.FindAll("[data-testid=backtest-result]"));

        // Editing a field clears its message, and only its own.
        page.Find("#quest-streak").Change("3");
        page.WaitForAssertion(() => Assert.Equal("3", page.Find("#quest-streak").GetAttribute("value")), Patience);
        Assert.Empty(page.FindAll("[data-testid='error-quest.streak']"));
        Assert.Single(page.FindAll("[data-testid='error-from']"));
    }

    [Fact]
    public void Rebuild_ShowsTheEventsReplayedWhileRunning_ThenWhatItRebuilt_AndStopsAsking()
    {
        var id = Guid.NewGuid();
        var started = _time.GetUtcNow();
        var answers = new Queue<RebuildStatus>(
        [
            new(id, "running", 0, 200, 0, started, null, null),
            new(id, "running", 50, 200, 1, started, null, null),
            new(id, "completed", 200, 200, 3, started, started.AddSeconds(2.5), null),
        ]);
        var api = Use(request => request.Method == HttpMethod.Post
            ? FakeApi.Response(HttpStatusCode.Accepted, new RebuildStarted(id))
            : FakeApi.Response(HttpStatusCode.OK, answers.Dequeue()));
        var page = Render<BacktestPage>();

        page.Find("[data-testid=rebuild-start]").Click();

        page.WaitForAssertion(() => Assert.Equal("0 of 200 events replayed", page.Find("[data-testid=rebuild-count]").TextContent), Patience);
        Assert.True(page.Find("[data-testid=rebuild-start]").HasAttribute("disabled"));
        NextPoll(page);
        page.WaitForAssertion(() => Assert.Equal("50", page.Find("[data-testid=rebuild-progress]").GetAttribute("aria-valuenow")), Patience);
        Assert.Equal("200", page.Find("[data-testid=rebuild-progress]").GetAttribute("aria-valuemax"));
        Assert.Contains("width: 25%", page.Find("[data-testid=rebuild-progress] .meter-fill").GetAttribute("style"), StringComparison.Ordinal);
        NextPoll(page);

        page.WaitForAssertion(() => Assert.Equal("Rebuilt 3 players from 200 events in 2.5 s", page.Find("[data-testid=rebuild-done]").TextContent), Patience);
        Assert.Empty(page.FindAll("[data-testid=rebuild-progress]"));
        Assert.False(page.Find("[data-testid=rebuild-start]").HasAttribute("disabled"));
        NextPoll(page);
        NextPoll(page);
        var worker = api.Requests.Where(r => r.RequestUri!.Host == "processing-worker").ToList();
        Assert.Equal(["POST /api/admin/progress/rebuild", .. Enumerable.Repeat($"GET /api/admin/progress/rebuild/{id}", 3)],
            worker.Select(r => $"{r.Method} {r.RequestUri!.AbsolutePath}"));
    }

    [Fact]
    public void Rebuild_StatusThatCannotBeRead_SaysSoAndStopsAsking()
    {
        var id = Guid.NewGuid();
        var api = Use(request => request.Method == HttpMethod.Post
            ? FakeApi.Response(HttpStatusCode.Accepted, new RebuildStarted(id))
            : FakeApi.Response(HttpStatusCode.ServiceUnavailable));
        var page = Render<BacktestPage>();

        page.Find("[data-testid=rebuild-start]").Click();

        page.WaitForAssertion(() => Assert.Contains("this page no longer follows it", page.Find("[data-testid=rebuild-error]").TextContent, StringComparison.Ordinal), Patience);
        Assert.Contains("The quest progress service had a problem (HTTP 503).", page.Find("[data-testid=rebuild-error]").TextContent, StringComparison.Ordinal);
        NextPoll(page);
        Assert.Equal(2, api.Requests.Count(r => r.RequestUri!.Host == "processing-worker"));
    }

    [Fact]
    public void Rebuild_ThatFails_ShowsTheWorkersReason()
    {
        var id = Guid.NewGuid();
        var started = _time.GetUtcNow();
        Use(request => request.Method == HttpMethod.Post
            ? FakeApi.Response(HttpStatusCode.Accepted, new RebuildStarted(id))
            : FakeApi.Response(HttpStatusCode.OK, new RebuildStatus(id, "failed", 10, 200, 0, started, started.AddSeconds(1), "the log could not be read")));
        var page = Render<BacktestPage>();

        page.Find("[data-testid=rebuild-start]").Click();

        page.WaitForAssertion(() => Assert.Contains("The rebuild failed: the log could not be read.", page.Find("[data-testid=rebuild-failed]").TextContent, StringComparison.Ordinal), Patience);
    }

    // On the page's dispatcher: the page's wait for the next poll was set up in the same turn as
    // the render the test saw, so the timer exists when the clock moves.
    private void NextPoll(IRenderedComponent<BacktestPage> page) =>
        page.InvokeAsync(() => _time.Advance(RebuildPanel.PollInterval)).GetAwaiter().GetResult();
}
