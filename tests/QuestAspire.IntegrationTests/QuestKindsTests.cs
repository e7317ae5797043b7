using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace QuestAspire.IntegrationTests;

/// <summary>
/// Each quest kind through the running system: quests made with the catalog's new fields, app
/// events reported to <c>POST /api/events</c> with <c>occurred_at</c> in the past to cross day
/// boundaries (no test waits for a day), progress read from the worker. Every test makes its own
/// quests, on an event type of its own, and deactivates them at the end.
/// </summary>
public sealed class QuestKindsTests(AppFixture fixture) : IAsyncDisposable
{
    private static readonly TimeSpan CatalogPropagation = TimeSpan.FromSeconds(10);
    private readonly QuestApiClient _api = new(fixture.App);
    private readonly List<Guid> _quests = [];
    private string? _admin;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DateTimeOffset Now => DateTimeOffset.UtcNow;

    [Fact]
    public async Task AppEvents_CountTowardAQuestOfTheirType_AndAResentEventCountsOnce()
    {
        var type = NewEventType();
        var questId = await CreateQuestAsync(new { event_type = type }, streak: 2, duplication: 1);
        var (userId, _, token) = await _api.NewPlayerSignedInAsync(signIns: 1);

        var first = Guid.NewGuid();
        await ReportAsync(token, new { event_id = first, event_type = type, occurred_at = Now.AddMinutes(-5) });
        await ReportAsync(token, new { event_id = first, event_type = type, occurred_at = Now.AddMinutes(-5) }); // resent: 202, counted once
        await ReportAsync(token, new { event_id = Guid.NewGuid(), event_type = "nobody_counts_this", occurred_at = Now });

        var progress = await ProgressOfAsync(userId, token, questId, p => p.GetProperty("progress").GetInt64() == 1);
        Assert.Equal((1, 0, type), (progress.GetProperty("progress").GetInt64(), progress.GetProperty("completions").GetInt32(), progress.GetProperty("event_type").GetString()));

        await ReportAsync(token, new { event_id = Guid.NewGuid(), event_type = type, occurred_at = Now });
        await ProgressOfAsync(userId, token, questId, p => p.GetProperty("completions").GetInt32() == 1);

        // Every event is logged, the one no quest uses too; the resent one once.
        var log = await _api.GetEventsAsync(userId, token);
        Assert.Equal(2, log.Count(e => e.GetProperty("event_type").GetString() == type));
        Assert.Single(log, e => e.GetProperty("event_type").GetString() == "nobody_counts_this");
        Assert.Single(log, e => e.GetProperty("event_type").GetString() == "QuestCompleted" && e.GetProperty("data").GetProperty("quest_id").GetGuid() == questId);
    }

    [Fact]
    public async Task Explain_AnEventFromBeforeTheQuestExisted_IsNotCounted_AndSaysSo()
    {
        var type = NewEventType();
        var (userId, _, token) = await _api.NewPlayerSignedInAsync(signIns: 1);
        await ReportAsync(token, new { event_id = Guid.NewGuid(), event_type = type, occurred_at = Now.AddMinutes(-2) });
        await WaitForLoggedAsync(userId, token, type, 1);

        // Live processing counted the first event with no such quest; explain replays with the catalog of each event, not today's.
        var questId = await CreateQuestAsync(new { event_type = type }, streak: 1, duplication: 5);
        await ReportAsync(token, new { event_id = Guid.NewGuid(), event_type = type, occurred_at = Now.AddMinutes(-1) });
        await ProgressOfAsync(userId, token, questId, p => p.GetProperty("completions").GetInt32() == 1);

        var explained = (await QuestApiClient.GetAsync(_api.Processing, $"/api/users/{userId}/quests/{questId}/explain", token)).GetProperty("events").EnumerateArray();
        Assert.Equal([("quest not active", false), ("counted", true)], explained.Select(e => (e.GetProperty("reason").GetString(), e.GetProperty("counted").GetBoolean())));
    }

    [Fact]
    public async Task DailyStreak_ThreeDaysInARowComplete_AMissedDayWithoutAFreezeStartsAgain()
    {
        var type = NewEventType();
        var questId = await CreateQuestAsync(new { event_type = type, kind = "daily_streak", freezes = 0 }, streak: 3, duplication: 1);
        var (userId, _, token) = await _api.NewPlayerSignedInAsync(signIns: 1);

        // Five days ago, four days ago, (three days ago missed), two days ago, yesterday: two days in a row so far.
        foreach (var daysAgo in new[] { 5, 4, 2, 1 })
        {
            await ReportAsync(token, new { event_id = Guid.NewGuid(), event_type = type, occurred_at = Now.AddDays(-daysAgo) });
        }

        var streak = await ProgressOfAsync(userId, token, questId, p => p.GetProperty("streak_days").GetInt32() == 2 && p.GetProperty("updated_at").ValueKind != JsonValueKind.Null);
        Assert.Equal(("daily_streak", 0), (streak.GetProperty("kind").GetString(), streak.GetProperty("completions").GetInt32()));
        await WaitForLoggedAsync(userId, token, type, 4);

        // Today makes three in a row.
        await ReportAsync(token, new { event_id = Guid.NewGuid(), event_type = type, occurred_at = Now });
        await ProgressOfAsync(userId, token, questId, p => p.GetProperty("completions").GetInt32() == 1);
    }

    [Fact]
    public async Task DailyStreak_AFreezeForgivesTheMissedDay_AndALateEventFillsItsOwnDay()
    {
        var type = NewEventType();
        var questId = await CreateQuestAsync(new { event_type = type, kind = "daily_streak", freezes = 1 }, streak: 4, duplication: 1);
        var (userId, _, token) = await _api.NewPlayerSignedInAsync(signIns: 1);

        // Four days ago, three days ago, (two days ago missed: the freeze), yesterday.
        foreach (var daysAgo in new[] { 4, 3, 1 })
        {
            await ReportAsync(token, new { event_id = Guid.NewGuid(), event_type = type, occurred_at = Now.AddDays(-daysAgo) });
        }

        var streak = await ProgressOfAsync(userId, token, questId, p => p.GetProperty("streak_days").GetInt32() == 3);
        Assert.Equal(0, streak.GetProperty("freezes_left").GetInt32());

        // The missed day's event arrives late (out of order): it fills its day, and the streak completes.
        await ReportAsync(token, new { event_id = Guid.NewGuid(), event_type = type, occurred_at = Now.AddDays(-2) });
        await ProgressOfAsync(userId, token, questId, p => p.GetProperty("completions").GetInt32() == 1);
    }

    [Fact]
    public async Task DailyReset_CompletesOncePerDay_ALateEventCountsOnTheDayItHappened()
    {
        var type = NewEventType();
        var questId = await CreateQuestAsync(new { event_type = type, reset = "daily" }, streak: 1, duplication: 1);
        var (userId, _, token) = await _api.NewPlayerSignedInAsync(signIns: 1);

        await ReportAsync(token, new { event_id = Guid.NewGuid(), event_type = type, occurred_at = Now });
        await ReportAsync(token, new { event_id = Guid.NewGuid(), event_type = type, occurred_at = Now }); // limit reached today
        await ReportAsync(token, new { event_id = Guid.NewGuid(), event_type = type, occurred_at = Now.AddDays(-1) }); // yesterday's, late

        var today = await ProgressOfAsync(userId, token, questId, p => p.GetProperty("completions").GetInt32() == 1);
        Assert.True(today.GetProperty("period_ends_at").GetDateTimeOffset() > Now, $"a daily quest shows when its period ends: {today}");
        await WaitForLoggedAsync(userId, token, type, 3);
        var completions = (await _api.GetEventsAsync(userId, token)).Count(e => e.GetProperty("event_type").GetString() == "QuestCompleted"
            && e.GetProperty("data").GetProperty("quest_id").GetGuid() == questId);
        Assert.Equal(2, completions); // one today, one yesterday
    }

    [Fact]
    public async Task Chain_TheSecondQuestIsLockedUntilTheFirstIsCompleted()
    {
        var type = NewEventType();
        var first = await CreateQuestAsync(new { event_type = type }, streak: 1, duplication: 1);
        var second = await CreateQuestAsync(new { event_type = type, precondition_ids = new[] { first } }, streak: 1, duplication: 1);
        var (userId, _, token) = await _api.NewPlayerSignedInAsync(signIns: 1);

        var locked = await ProgressOfAsync(userId, token, second, p => p.GetProperty("locked").GetBoolean());
        Assert.Equal(first, Assert.Single(locked.GetProperty("locked_by").EnumerateArray()).GetProperty("quest_id").GetGuid());

        // The event that completes the first does not count toward the second; the next one does.
        await ReportAsync(token, new { event_id = Guid.NewGuid(), event_type = type, occurred_at = Now.AddSeconds(-2) });
        await ProgressOfAsync(userId, token, first, p => p.GetProperty("completions").GetInt32() == 1);
        var unlocked = await ProgressOfAsync(userId, token, second, p => !p.GetProperty("locked").GetBoolean());
        Assert.Equal(0, unlocked.GetProperty("completions").GetInt32());

        await ReportAsync(token, new { event_id = Guid.NewGuid(), event_type = type, occurred_at = Now });
        await ProgressOfAsync(userId, token, second, p => p.GetProperty("completions").GetInt32() == 1);
    }

    [Fact]
    public async Task WindowGraceAndSum_OnlyEventsInsideCount_ValuesAdd()
    {
        var type = NewEventType();
        var window = await CreateQuestAsync(new { event_type = type, starts_at = Now.AddDays(-3), ends_at = Now.AddDays(-1) }, streak: 1, duplication: 5);
        var sum = await CreateQuestAsync(new { event_type = type, value_mode = "sum" }, streak: 100, duplication: 1);
        var (userId, _, token) = await _api.NewPlayerSignedInAsync(signIns: 1);

        await ReportAsync(token, new { event_id = Guid.NewGuid(), event_type = type, occurred_at = Now.AddDays(-2), value = 60 }); // in the window
        await ReportAsync(token, new { event_id = Guid.NewGuid(), event_type = type, occurred_at = Now, value = 30 });               // after it
        await ReportAsync(token, new { event_id = Guid.NewGuid(), event_type = type, occurred_at = Now.AddDays(-8), value = 50 });  // past the grace window

        await WaitForLoggedAsync(userId, token, type, 3);
        var inWindow = await ProgressOfAsync(userId, token, window, _ => true);
        Assert.Equal(1, inWindow.GetProperty("completions").GetInt32());
        var summed = await ProgressOfAsync(userId, token, sum, _ => true);
        Assert.Equal((90, 0), (summed.GetProperty("progress").GetInt64(), summed.GetProperty("completions").GetInt32()));
    }

    public static TheoryData<string, string> BadQuests => new()
    {
        { """{"kind":"weekly_streak"}""", "kind" },
        { """{"freezes":2}""", "freezes" },
        { """{"kind":"daily_streak","freezes":-1}""", "freezes" },
        { """{"reset":"fortnightly"}""", "reset" },
        { """{"reset":"61 * * * *"}""", "reset" },
        { """{"starts_at":"2026-12-10T00:00:00Z","ends_at":"2026-12-01T00:00:00Z"}""", "ends_at" },
        { """{"precondition_ids":["0199a8f0-0000-7000-8000-0000000000cc"]}""", "precondition_ids" },
        { """{"value_mode":"max"}""", "value_mode" },
        { """{"kind":"daily_streak","value_mode":"sum"}""", "value_mode" },
        { """{"event_type":"Match Won"}""", "event_type" },
    };

    [Theory]
    [MemberData(nameof(BadQuests))]
    public async Task BadQuestFields_AreValidationProblemsNamingTheField(string fields, string field)
    {
        var admin = await AdminAsync();
        var rewardId = await RewardAsync();
        var body = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(fields)!;
        body["name"] = JsonSerializer.SerializeToElement($"bad-{Guid.NewGuid():N}");
        body["description"] = JsonSerializer.SerializeToElement("bad");
        body["streak"] = JsonSerializer.SerializeToElement(1);
        body["duplication"] = JsonSerializer.SerializeToElement(1);
        body["auto_claim"] = JsonSerializer.SerializeToElement(true);
        body["reward_id"] = JsonSerializer.SerializeToElement(rewardId);

        using var response = await QuestApiClient.SendAsync(_api.Catalog, HttpMethod.Post, "/api/quests", admin, JsonContent.Create(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"the problem should name {field}: {problem}");
    }

    [Fact]
    public async Task PreconditionCycle_IsRefused()
    {
        var first = await CreateQuestAsync(new { event_type = NewEventType() }, streak: 1, duplication: 1);
        var second = await CreateQuestAsync(new { event_type = NewEventType(), precondition_ids = new[] { first } }, streak: 1, duplication: 1);
        var admin = await AdminAsync();
        var current = await QuestApiClient.GetAsync(_api.Catalog, $"/api/quests/{first}", admin);

        using var response = await QuestApiClient.SendAsync(_api.Catalog, HttpMethod.Put, $"/api/quests/{first}", admin, JsonContent.Create(new
        {
            name = current.GetProperty("name").GetString(), description = "cycle", streak = 1, duplication = 1, auto_claim = true,
            reward_id = current.GetProperty("reward").GetProperty("reward_id").GetGuid(), precondition_ids = new[] { second },
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("cycle", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlayerZone_SetInAuth_ReachesTheWorker_AndTwoUtcDatesAreOneTokyoDay()
    {
        var type = NewEventType();
        var questId = await CreateQuestAsync(new { event_type = type, kind = "daily_streak" }, streak: 2, duplication: 1);
        var (userId, _, token) = await _api.NewPlayerSignedInAsync(signIns: 1);

        using (var set = await QuestApiClient.SendAsync(_api.Auth, HttpMethod.Put, "/users/me/time-zone", token, JsonContent.Create(new { time_zone = "asia/tokyo" })))
        {
            await QuestApiClient.EnsureStatusAsync(set, HttpStatusCode.NoContent);
        }

        Assert.Equal("Asia/Tokyo", (await _api.GetMeAsync(token)).GetProperty("time_zone").GetString()); // stored in tzdb's spelling
        await ProgressOfAsync(userId, token, questId, p => p.GetProperty("time_zone").GetString() == "Asia/Tokyo"); // the worker learnt it from the event

        // Yesterday in Tokyo, at 00:30 and at 23:30 local: two UTC dates, one Tokyo day, so one day of the streak.
        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        var yesterday = TimeZoneInfo.ConvertTime(Now, tokyo).Date.AddDays(-1);
        var early = new DateTimeOffset(yesterday.AddMinutes(30), tokyo.GetUtcOffset(yesterday));
        var late = new DateTimeOffset(yesterday.AddHours(23).AddMinutes(30), tokyo.GetUtcOffset(yesterday));
        Assert.NotEqual(early.UtcDateTime.Date, late.UtcDateTime.Date);
        await ReportAsync(token, new { event_id = Guid.NewGuid(), event_type = type, occurred_at = early });
        await ReportAsync(token, new { event_id = Guid.NewGuid(), event_type = type, occurred_at = late });
        await WaitForLoggedAsync(userId, token, type, 2);

        var streak = await ProgressOfAsync(userId, token, questId, p => p.GetProperty("updated_at").ValueKind != JsonValueKind.Null);
        Assert.Equal((1, 0), (streak.GetProperty("streak_days").GetInt32(), streak.GetProperty("completions").GetInt32()));
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("")]
    [InlineData("+09:00")]
    public async Task UnknownZone_IsAValidationProblem_AndTheZoneStays(string zone)
    {
        var (_, _, token) = await _api.NewPlayerSignedInAsync(signIns: 1);

        using var response = await QuestApiClient.SendAsync(_api.Auth, HttpMethod.Put, "/users/me/time-zone", token, JsonContent.Create(new { time_zone = zone }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty("time_zone", out _), $"the problem should name time_zone: {problem}");
        Assert.Equal("UTC", (await _api.GetMeAsync(token)).GetProperty("time_zone").GetString());
    }

    private static string NewEventType() => "test_" + Guid.NewGuid().ToString("N")[..12];

    private async Task<string> AdminAsync() => _admin ??= await _api.SignInAsync("admin", TestAppHost.AdminPassword);

    private Guid? _reward;

    private async Task<Guid> RewardAsync() => _reward ??= (await QuestApiClient.CreateAsync(_api.Catalog, "/api/rewards", await AdminAsync(),
        new { name = $"gems-{Guid.NewGuid():N}"[..20], item = "diamond", qty = 1 })).GetProperty("reward_id").GetGuid();

    // A quest with the given kind fields, on both worker replicas before it is used.
    private async Task<Guid> CreateQuestAsync(object fields, int streak, int duplication)
    {
        var body = QuestApiClient.QuestBody(fields, streak, duplication, await RewardAsync());
        var quest = await QuestApiClient.CreateAsync(_api.Catalog, "/api/quests", await AdminAsync(), body);
        var id = quest.GetProperty("quest_id").GetGuid();
        _quests.Add(id);
        await CatalogCopies.WaitForCatalogCopyAsync(fixture.App, ResourceNames.ProcessingWorker, 2, quest.GetProperty("version").GetInt64(), CatalogPropagation);
        return id;
    }

    private async Task ReportAsync(string token, object body)
    {
        using var response = await QuestApiClient.SendAsync(_api.Processing, HttpMethod.Post, "/api/events", token, JsonContent.Create(body));
        await QuestApiClient.EnsureStatusAsync(response, HttpStatusCode.Accepted);
    }

    private async Task<JsonElement> ProgressOfAsync(Guid userId, string token, Guid questId, Func<JsonElement, bool> condition) =>
        await QuestApiClient.EventuallyAsync(
            async () => (await QuestApiClient.GetAsync(_api.Processing, $"/api/users/{userId}/progress", token)).EnumerateArray()
                .FirstOrDefault(p => p.GetProperty("quest_id").GetGuid() == questId),
            p => p.ValueKind == JsonValueKind.Object && condition(p),
            $"the progress of quest {questId} to hold");

    private async Task WaitForLoggedAsync(Guid userId, string token, string type, int count) =>
        await QuestApiClient.EventuallyAsync(() => _api.GetEventsAsync(userId, token),
            events => events.Count(e => e.GetProperty("event_type").GetString() == type) == count, $"{count} {type} events in the log");

    public async ValueTask DisposeAsync()
    {
        if (_admin is not null)
        {
            foreach (var id in _quests)
            {
                using var _ = await QuestApiClient.SendAsync(_api.Catalog, HttpMethod.Post, $"/api/quests/{id}/deactivate", _admin);
            }
        }

        _api.Dispose();
    }
}
