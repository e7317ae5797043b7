using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace QuestAspire.Web.EndToEndTests;

/// <summary>
/// Quest cards of the richer kinds, with the progress pushed to the open page: a daily streak
/// (its flame, days and freezes) and a chained quest (locked, naming the quest to finish first,
/// until that one is completed). Each test makes its quests and deactivates them at the end.
/// Events are reported to the worker with <c>occurred_at</c> in the past to cross days.
/// </summary>
public sealed class QuestKindTests(AppFixture app, BrowserFixture browser) : WebTest(app, browser)
{
    private static readonly TimeSpan CatalogPropagation = TimeSpan.FromSeconds(15);

    // Well under the page's 30 s safety-net refresh: a change seen within it was pushed.
    private static readonly TimeSpan PushTimeout = TimeSpan.FromSeconds(10);

    private readonly QuestApiClient _api = new(app.App);
    private readonly List<string> _made = [];
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public Task DailyStreakCard_ShowsTheFlameWithDaysAndFreezes_AndGrowsAsSoonAsAnEventArrives() => WithCleanUpAsync(async () =>
    {
        var eventType = $"e2e_streak_{_suffix}";
        var quest = await CreateQuestAsync($"streak-{_suffix}", new
        {
            event_type = eventType,
            kind = "daily_streak",
            freezes = 1,
            streak = 5,
            duplication = 1,
        });
        var (userName, token) = await NewPlayerAsync();
        var now = DateTimeOffset.UtcNow;
        await ReportAsync(token, eventType, now.AddDays(-2));
        await ReportAsync(token, eventType, now.AddDays(-1));

        await SignInAsync(userName);
        var card = QuestCard(quest);
        await Expect(card.GetByTestId("streak-flame")).ToHaveTextAsync("2 days");
        await Expect(card.GetByTestId("freezes-left")).ToHaveTextAsync("1 of 1 freeze left");
        await Expect(card.GetByTestId("progress")).ToHaveTextAsync("2 / 5");
        await Screenshots.SaveAsync(Page, "quest-streak", forReadme: true);

        // Today's event: the open page hears of it from the worker, no reload, no polling.
        await ReportAsync(token, eventType, DateTimeOffset.UtcNow);

        await Expect(card.GetByTestId("streak-flame")).ToHaveTextAsync("3 days", new() { Timeout = (float)PushTimeout.TotalMilliseconds });
        await Expect(card.GetByTestId("freezes-left")).ToHaveTextAsync("1 of 1 freeze left");
    });

    [Fact]
    public Task ChainedQuest_IsLockedNamingItsPrecondition_AndUnlocksWhenThatIsCompleted() => WithCleanUpAsync(async () =>
    {
        var firstType = $"e2e_first_{_suffix}";
        var secondType = $"e2e_second_{_suffix}";
        var first = await CreateQuestAsync($"first-{_suffix}", new { event_type = firstType, streak = 1, duplication = 1 });
        var firstId = await _api.GetQuestIdAsync(first);
        var second = await CreateQuestAsync($"second-{_suffix}", new
        {
            event_type = secondType,
            streak = 2,
            duplication = 1,
            reset = "daily",
            precondition_ids = new[] { firstId },
        });
        var (userName, token) = await NewPlayerAsync();

        await SignInAsync(userName);
        var card = QuestCard(second);
        await Expect(card.GetByTestId("quest-lock")).ToHaveTextAsync($"Locked: complete {first} first.");
        await Expect(card.GetByTestId("period-badge")).ToContainTextAsync("Daily ·");
        await Screenshots.SaveAsync(Page, "quest-locked", forReadme: true);

        // The first quest done: the page is told, the lock goes.
        await ReportAsync(token, firstType, DateTimeOffset.UtcNow);
        await Expect(QuestCard(first).GetByTestId("completions")).ToHaveTextAsync("1 / 1", new() { Timeout = (float)PushTimeout.TotalMilliseconds });
        await Expect(card.GetByTestId("quest-lock")).ToHaveCountAsync(0, new() { Timeout = (float)PushTimeout.TotalMilliseconds });

        // Now its own events count.
        await ReportAsync(token, secondType, DateTimeOffset.UtcNow);
        await Expect(card.GetByTestId("progress")).ToHaveTextAsync("1 / 2", new() { Timeout = (float)PushTimeout.TotalMilliseconds });
        await Screenshots.SaveAsync(Page, "quest-unlocked");
    });

    private async Task<(string UserName, string Token)> NewPlayerAsync()
    {
        var userName = NewUserName();
        await _api.SignUpAsync(userName, Password);
        return (userName, await _api.SignInAsync(userName, Password));
    }

    // An auto-claim quest paying one gold, on both worker replicas' catalog copies before it is used.
    private async Task<string> CreateQuestAsync(string name, object fields)
    {
        var admin = await _api.AdminTokenAsync();
        var rewardId = (await QuestApiClient.CreateAsync(_api.Catalog, "/api/rewards", admin, new { name = $"gold-{name}", item = "gold", qty = 1 }))
            .GetProperty("reward_id").GetGuid();
        _made.Add($"/api/rewards/{rewardId}");
        var body = JsonSerializer.SerializeToElement(fields).EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        body["name"] = JsonSerializer.SerializeToElement(name);
        body["description"] = JsonSerializer.SerializeToElement($"A quest of {nameof(QuestKindTests)}");
        body["auto_claim"] = JsonSerializer.SerializeToElement(true);
        body["reward_id"] = JsonSerializer.SerializeToElement(rewardId);
        var quest = await QuestApiClient.CreateAsync(_api.Catalog, "/api/quests", admin, body);
        _made.Insert(0, $"/api/quests/{quest.GetProperty("quest_id").GetGuid()}");
        await CatalogCopies.WaitForCatalogCopyAsync(App, ResourceNames.ProcessingWorker, 2, quest.GetProperty("version").GetInt64(), CatalogPropagation);
        return name;
    }

    private async Task ReportAsync(string token, string eventType, DateTimeOffset occurredAt)
    {
        using var response = await QuestApiClient.SendAsync(_api.Processing, HttpMethod.Post, "/api/events", token,
            JsonContent.Create(new { event_id = Guid.NewGuid(), event_type = eventType, occurred_at = occurredAt }));
        await QuestApiClient.EnsureStatusAsync(response, HttpStatusCode.Accepted);
    }

    // Whatever happened, later tests do not meet these quests: quests first, then their rewards.
    private async Task WithCleanUpAsync(Func<Task> test)
    {
        try
        {
            await test();
        }
        finally
        {
            var admin = await _api.AdminTokenAsync();
            foreach (var path in _made)
            {
                using var response = await QuestApiClient.SendAsync(_api.Catalog, HttpMethod.Post, $"{path}/deactivate", admin);
            }

            _api.Dispose();
        }
    }
}
