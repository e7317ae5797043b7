using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using RabbitMQ.Client;

namespace QuestAspire.Processing.Worker.ApiTests;

/// <summary>
/// Processing.Worker's HTTP API in the fast tier (the worker and its Catalog.Api in this process,
/// real Postgres and RabbitMQ; see <see cref="ProcessingWorkerFixture"/>): the read API with its
/// tokens and paging, explain's 403 and 404, the backtest's validation and the admin role, and
/// <c>POST /api/events</c> with its key, its validation and its 401. Sign-ins are published
/// straight to RabbitMQ as Auth publishes them; tokens are minted with the run's signing key.
/// Every test uses players of its own and deactivates the quests it makes.
/// </summary>
public sealed class ProcessingWorkerApiTests(ProcessingWorkerFixture fixture) : IAsyncLifetime
{
    private const string SeedName = "signin_three";
    private static readonly TimeSpan ProcessingTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CatalogPropagation = TimeSpan.FromSeconds(10);

    private readonly List<Guid> _quests = [];
    private readonly string _admin = TestTokens.Create(fixture.SigningKey, TestTokens.AdminRole, userName: "test-admin", userId: Guid.NewGuid());
    private IConnection? _rabbit;
    private NpgsqlDataSource? _database;
    private HttpClient _worker = null!;
    private HttpClient _catalog = null!;
    private Guid? _reward;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DateTimeOffset Now => DateTimeOffset.UtcNow;

    private IConnection Rabbit => _rabbit ?? throw new InvalidOperationException("Not initialized.");

    private NpgsqlDataSource Database => _database ?? throw new InvalidOperationException("Not initialized.");

    public async ValueTask InitializeAsync()
    {
        _rabbit = await new ConnectionFactory { Uri = new Uri(fixture.ConnectionStrings[ResourceNames.RabbitMQ]) }.CreateConnectionAsync(Ct).WaitAsync(RequestTimeout, Ct);
        _database = NpgsqlDataSource.Create(fixture.ConnectionStrings[ResourceNames.ProcessingDb]);
        _worker = fixture.CreateClient();
        _worker.Timeout = RequestTimeout;
        _catalog = fixture.CreateCatalogClient();
        _catalog.Timeout = RequestTimeout;

        // The worker declares the topology when its consumer starts, just after it reports healthy.
        await EventuallyAsync("the processing-events queue to exist", QueueExistsAsync, exists => exists);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var id in _quests)
        {
            using var _ = await QuestApiClient.SendAsync(_catalog, HttpMethod.Post, $"/api/quests/{id}/deactivate", _admin);
        }

        _worker.Dispose();
        _catalog.Dispose();
        if (_rabbit is not null)
        {
            await _rabbit.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    // ---- the read API (from the integration tests' ProcessingWorkerTests) ----

    [Fact]
    public async Task ReadApi_OwnToken_ReturnsProgressAndEventsNewestFirst()
    {
        var quest = await SeedQuestAsync();
        var user = Guid.NewGuid();
        await PublishSignInsAsync(user, 4);
        var state = await WaitForSignInsAsync(user, quest, 4);
        using var http = WorkerClient(Token(user, TestTokens.PlayerRole));

        var progress = await GetJsonAsync(http, $"/api/users/{user}/progress", HttpStatusCode.OK);
        var seed = progress.EnumerateArray().SingleOrDefault(p => p.GetProperty("quest_id").GetGuid() == quest.Id);
        Assert.True(seed.ValueKind == JsonValueKind.Object, $"no {quest.Name} in {progress}");
        Assert.Equal(quest.Name, seed.GetProperty("quest_name").GetString());
        Assert.Equal((1, 3, 1, 2), (seed.GetProperty("progress").GetInt32(), seed.GetProperty("streak").GetInt32(),
            seed.GetProperty("completions").GetInt32(), seed.GetProperty("duplication").GetInt32()));
        Assert.Equal(JsonValueKind.String, seed.GetProperty("updated_at").ValueKind);

        var page1 = await GetJsonAsync(http, $"/api/users/{user}/events?page=1&page_size=2", HttpStatusCode.OK);
        var pageLast = await GetJsonAsync(http, $"/api/users/{user}/events?page=3&page_size=2", HttpStatusCode.OK);
        var all = await GetJsonAsync(http, $"/api/users/{user}/events", HttpStatusCode.OK);

        Assert.Equal((1, 2, state.LoggedEvents), (page1.GetProperty("page").GetInt32(), page1.GetProperty("page_size").GetInt32(), page1.GetProperty("total").GetInt32()));
        Assert.Equal(2, page1.GetProperty("items").GetArrayLength());
        Assert.Equal(Math.Clamp(state.LoggedEvents - 4, 0, 2), pageLast.GetProperty("items").GetArrayLength());
        Assert.Equal(20, all.GetProperty("page_size").GetInt32());
        var items = all.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(state.LoggedEvents, items.Count);
        var times = items.Select(i => i.GetProperty("occurred_at").GetDateTimeOffset()).ToList();
        Assert.True(times.SequenceEqual(times.OrderDescending()), $"not newest first: {all}");
        Assert.All(items, i => Assert.Equal(user, i.GetProperty("user_id").GetGuid()));
        var completed = items.Single(i => i.GetProperty("event_type").GetString() == EventWire.QuestCompleted
            && i.GetProperty("data").GetProperty("quest_id").GetGuid() == quest.Id);
        Assert.Equal((quest.Name, 1), (completed.GetProperty("data").GetProperty("quest_name").GetString(), completed.GetProperty("data").GetProperty("completion").GetInt32()));
        Assert.Equal(JsonValueKind.String, completed.GetProperty("recorded_at").ValueKind);
    }

    [Theory]
    [InlineData("progress")]
    [InlineData("events")]
    public async Task ReadApi_AnotherUsersToken_IsForbiddenWithAProblem(string resource)
    {
        using var http = WorkerClient(Token(Guid.NewGuid(), TestTokens.PlayerRole));

        using var response = await SendAsync(http, $"/api/users/{Guid.NewGuid()}/{resource}");

        await AssertProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task ReadApi_AdminToken_ReadsAnyUser()
    {
        var quest = await SeedQuestAsync();
        var user = Guid.NewGuid();
        await PublishSignInsAsync(user, 1);
        var state = await WaitForSignInsAsync(user, quest, 1);
        using var http = WorkerClient(Token(Guid.NewGuid(), TestTokens.AdminRole));

        var progress = await GetJsonAsync(http, $"/api/users/{user}/progress", HttpStatusCode.OK);
        var events = await GetJsonAsync(http, $"/api/users/{user}/events", HttpStatusCode.OK);

        Assert.Equal(1, progress.EnumerateArray().Single(p => p.GetProperty("quest_id").GetGuid() == quest.Id).GetProperty("progress").GetInt32());
        Assert.Equal(state.LoggedEvents, events.GetProperty("total").GetInt32());
        Assert.All(events.GetProperty("items").EnumerateArray(), i => Assert.Equal(user, i.GetProperty("user_id").GetGuid()));
    }

    [Theory]
    [InlineData("progress")]
    [InlineData("events")]
    public async Task ReadApi_NoToken_IsUnauthorized(string resource)
    {
        using var http = WorkerClient(token: null);

        using var response = await SendAsync(http, $"/api/users/{Guid.NewGuid()}/{resource}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ReadApi_TokenSignedWithAnotherKey_IsUnauthorized()
    {
        var user = Guid.NewGuid();
        using var http = WorkerClient(TestTokens.Create(new string('k', 64), TestTokens.PlayerRole, userId: user));

        using var response = await SendAsync(http, $"/api/users/{user}/progress");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("page=-3", "page")]
    [InlineData("page_size=0", "page_size")]
    [InlineData("page_size=101", "page_size")]
    [InlineData("page=0&page_size=1000", "page")]
    [InlineData("page=abc", "page")]
    [InlineData("page_size=ten", "page_size")]
    public async Task ReadApi_BadPaging_IsAValidationProblem(string query, string field)
    {
        var user = Guid.NewGuid();
        using var http = WorkerClient(Token(user, TestTokens.PlayerRole));

        using var response = await SendAsync(http, $"/api/users/{user}/events?{query}");

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _), $"no error for {field}: {problem}");
    }

    [Theory]
    [InlineData("/api/users/not-a-uuid/progress", HttpStatusCode.NotFound)]
    [InlineData("/api/users/not-a-uuid/events", HttpStatusCode.NotFound)]
    [InlineData("/api/users/{user}/progress?page=abc", HttpStatusCode.OK)]
    [InlineData("/api/users/{user}/events?page=2147483647&page_size=100", HttpStatusCode.OK)]
    public async Task ReadApi_MalformedInput_IsAClientErrorNeverA500(string path, HttpStatusCode expected)
    {
        var user = Guid.NewGuid();
        using var http = WorkerClient(Token(user, TestTokens.PlayerRole));

        using var response = await SendAsync(http, path.Replace("{user}", user.ToString(), StringComparison.Ordinal));

        Assert.Equal(expected, response.StatusCode);
    }

    // ---- explain (from ExplainTests) ----

    [Fact]
    public async Task AnotherPlayersExplain_IsForbidden_AnUnknownQuestIsNotFound()
    {
        var quest = await SeedQuestAsync();
        var (userId, token) = await NewPlayerSignedInAsync(quest);
        var (_, otherToken) = await NewPlayerSignedInAsync(quest);

        using (var other = await QuestApiClient.SendAsync(_worker, HttpMethod.Get, $"/api/users/{userId}/quests/{quest.Id}/explain", otherToken))
        {
            Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        }

        using (var unknown = await QuestApiClient.SendAsync(_worker, HttpMethod.Get, $"/api/users/{userId}/quests/{Guid.NewGuid()}/explain", token))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        }

        var asAdmin = await QuestApiClient.GetAsync(_worker, $"/api/users/{userId}/quests/{quest.Id}/explain", _admin);
        Assert.Equal(JsonValueKind.Array, asAdmin.GetProperty("events").ValueKind);
    }

    // ---- the backtest (from EventStoreTests) ----

    [Fact]
    public async Task Backtest_BadDraftOrRange_Is400NamingEachField_APlayerIsForbidden()
    {
        var bad = new
        {
            quest = new { streak = 0, duplication = 1, kind = "weekly", reset = "every full moon", reward = new { item = "ruby", qty = 1 } },
            from = "2026-12-02T00:00:00Z",
            to = "2026-12-01T00:00:00Z",
        };

        var problem = await PostAsync(_worker, "/api/admin/backtest", _admin, bad, HttpStatusCode.BadRequest);

        var fields = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order().ToList();
        Assert.Equal(["quest.kind", "quest.reset", "quest.reward.item", "quest.streak", "to"], fields);
        await PostAsync(_worker, "/api/admin/backtest", _admin, new { from = "2026-12-01T00:00:00Z" }, HttpStatusCode.BadRequest);

        var (_, player) = await NewPlayerSignedInAsync(await SeedQuestAsync());
        using var forbidden = await QuestApiClient.SendAsync(_worker, HttpMethod.Post, "/api/admin/backtest", player, JsonContent.Create(bad));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        using var rebuild = await QuestApiClient.SendAsync(_worker, HttpMethod.Post, "/api/admin/progress/rebuild", player);
        Assert.Equal(HttpStatusCode.Forbidden, rebuild.StatusCode);
    }

    // ---- app events (from QuestKindsTests) ----

    [Fact]
    public async Task ServiceKey_ReportsForAnyPlayer_AWrongKeyIsRefused()
    {
        var type = NewEventType();
        var questId = await CreateQuestAsync(new { event_type = type }, streak: 1, duplication: 1);
        var (userId, token) = await NewPlayerSignedInAsync(await SeedQuestAsync());

        using (var wrong = await SendWithKeyAsync("not-the-key", new { event_id = Guid.NewGuid(), event_type = type, occurred_at = Now, user_id = userId }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using (var right = await SendWithKeyAsync(TestAppHost.EventsServiceKey, new { event_id = Guid.NewGuid(), event_type = type, occurred_at = Now, user_id = userId, value = 3 }))
        {
            await QuestApiClient.EnsureStatusAsync(right, HttpStatusCode.Accepted);
        }

        await ProgressOfAsync(userId, token, questId, p => p.GetProperty("completions").GetInt32() == 1);
    }

    public static TheoryData<string, string> BadEvents => new()
    {
        { """{"event_type":"match_won","occurred_at":"2026-12-01T10:00:00Z"}""", "event_id" },
        { """{"event_id":"0199a8f0-0000-7000-8000-0000000000aa","occurred_at":"2026-12-01T10:00:00Z"}""", "event_type" },
        { """{"event_id":"0199a8f0-0000-7000-8000-0000000000aa","event_type":"Match Won!","occurred_at":"2026-12-01T10:00:00Z"}""", "event_type" },
        { """{"event_id":"0199a8f0-0000-7000-8000-0000000000aa","event_type":"sign_in","occurred_at":"2026-12-01T10:00:00Z"}""", "event_type" },
        { """{"event_id":"0199a8f0-0000-7000-8000-0000000000aa","event_type":"match_won"}""", "occurred_at" },
        { """{"event_id":"0199a8f0-0000-7000-8000-0000000000aa","event_type":"match_won","occurred_at":"2999-01-01T00:00:00Z"}""", "occurred_at" },
        { """{"event_id":"0199a8f0-0000-7000-8000-0000000000aa","event_type":"match_won","occurred_at":"2026-12-01T10:00:00Z","value":0}""", "value" },
        { """{"event_id":"0199a8f0-0000-7000-8000-0000000000aa","event_type":"match_won","occurred_at":"2026-12-01T10:00:00Z","user_id":"0199a8f0-0000-7000-8000-0000000000bb"}""", "user_id" },
    };

    [Theory]
    [MemberData(nameof(BadEvents))]
    public async Task BadEvent_IsAValidationProblemNamingTheField_AndNothingIsLogged(string body, string field)
    {
        var (userId, token) = await NewPlayerSignedInAsync(await SeedQuestAsync());

        using var response = await QuestApiClient.SendAsync(_worker, HttpMethod.Post, "/api/events", token, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"the problem should name {field}: {problem}");
        Assert.DoesNotContain(await GetEventsAsync(userId, token), e => e.GetProperty("event_type").GetString() == "match_won");
    }

    [Fact]
    public async Task NoToken_IsUnauthorized()
    {
        using var response = await QuestApiClient.SendAsync(_worker, HttpMethod.Post, "/api/events", token: null,
            JsonContent.Create(new { event_id = Guid.NewGuid(), event_type = "match_won", occurred_at = Now }));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    // ---- players and quests ----

    private string Token(Guid user, string role) => TestTokens.Create(fixture.SigningKey, role, userName: $"test-{user:N}", userId: user);

    /// <summary>A new player with one sign-in in the worker's log (as Auth would have published it) and the player's token.</summary>
    private async Task<(Guid UserId, string Token)> NewPlayerSignedInAsync(SeedQuest quest)
    {
        var user = Guid.NewGuid();
        await PublishSignInsAsync(user, 1);
        await WaitForSignInsAsync(user, quest, 1);
        return (user, Token(user, TestTokens.PlayerRole));
    }

    private static string NewEventType() => "test_" + Guid.NewGuid().ToString("N")[..12];

    private async Task<Guid> RewardAsync() => _reward ??= (await QuestApiClient.CreateAsync(_catalog, "/api/rewards", _admin,
        new { name = $"gems-{Guid.NewGuid():N}"[..20], item = "diamond", qty = 1 })).GetProperty("reward_id").GetGuid();

    // A quest with the given kind fields, in the worker's catalog copy before it is used.
    private async Task<Guid> CreateQuestAsync(object fields, int streak, int duplication)
    {
        var body = QuestApiClient.QuestBody(fields, streak, duplication, await RewardAsync());
        var quest = await QuestApiClient.CreateAsync(_catalog, "/api/quests", _admin, body);
        var id = quest.GetProperty("quest_id").GetGuid();
        _quests.Add(id);
        await WaitForCatalogCopyAsync(quest.GetProperty("version").GetInt64());
        return id;
    }

    // The worker's /health entry catalog-copy says "N quests at catalog version V".
    private async Task WaitForCatalogCopyAsync(long version) =>
        await QuestApiClient.EventuallyAsync(async () =>
        {
            var health = await _worker.GetFromJsonAsync<JsonElement>("/health", Ct);
            var description = health.GetProperty("entries").TryGetProperty("catalog-copy", out var entry) ? entry.GetProperty("description").GetString() ?? "" : "";
            return long.TryParse(description[(description.LastIndexOf(' ') + 1)..], out var held) ? held : -1;
        }, held => held >= version, $"the worker's catalog copy at version {version}", CatalogPropagation);

    private async Task<HttpResponseMessage> SendWithKeyAsync(string key, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Service-Key", key);
        return await _worker.SendAsync(request, Ct).WaitAsync(RequestTimeout, Ct);
    }

    private async Task<JsonElement> ProgressOfAsync(Guid userId, string token, Guid questId, Func<JsonElement, bool> condition) =>
        await QuestApiClient.EventuallyAsync(
            async () => (await QuestApiClient.GetAsync(_worker, $"/api/users/{userId}/progress", token)).EnumerateArray()
                .FirstOrDefault(p => p.GetProperty("quest_id").GetGuid() == questId),
            p => p.ValueKind == JsonValueKind.Object && condition(p),
            $"the progress of quest {questId} to hold");

    private async Task<JsonElement[]> GetEventsAsync(Guid userId, string token) =>
        [.. (await QuestApiClient.GetAsync(_worker, $"/api/users/{userId}/events?page=1&page_size=100", token)).GetProperty("items").EnumerateArray()];

    private static async Task<JsonElement> PostAsync(HttpClient http, string path, string token, object? body, HttpStatusCode expected)
    {
        using var response = await QuestApiClient.SendAsync(http, HttpMethod.Post, path, token, body is null ? null : JsonContent.Create(body));
        await QuestApiClient.EnsureStatusAsync(response, expected);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    // ---- events in ----

    private Task PublishSignInsAsync(Guid user, int count) => PublishAsync(EventWire.SignIns(user, count, DateTimeOffset.UtcNow));

    private static WireMessage SignIn(Guid user, Guid eventId, string eventType, DateTimeOffset occurredAt) => EventWire.SignIn(user, eventId, eventType, occurredAt);

    private Task PublishAsync(params WireMessage[] messages) => EventWire.PublishAsync(Rabbit, messages, RequestTimeout, Ct);

    private Task<bool> QueueExistsAsync() => EventWire.QueueExistsAsync(Rabbit, EventWire.ProcessingEventsQueue, Ct);

    // ---- results out ----

    private sealed record SeedQuest(Guid Id, string Name);

    private sealed record UserState(int LoggedEvents, int SignIns)
    {
        public override string ToString() => $"{{ logged: {LoggedEvents}, sign-ins: {SignIns} }}";
    }

    private async Task<UserState> StateAsync(Guid user)
    {
        await using var command = Database.CreateCommand("""
            SELECT count(*)::int, (count(*) FILTER (WHERE event_type IN ('UserSignIn', 'NewUserSignIn')))::int
            FROM events WHERE user_id = @user
            """);
        command.Parameters.AddWithValue("user", user);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        await reader.ReadAsync(Ct);
        return new UserState(reader.GetInt32(0), reader.GetInt32(1));
    }

    private Task<UserState> WaitForSignInsAsync(Guid user, SeedQuest quest, int signIns) =>
        EventuallyAsync($"{signIns} sign-in(s) of {user} in the event log (the seed quest {quest.Id})", () => StateAsync(user), s => s.SignIns >= signIns);

    /// <summary>The seeded quest, as Catalog.Api serves it; these tests' arithmetic assumes streak 3, duplication 2.</summary>
    private async Task<SeedQuest> SeedQuestAsync()
    {
        using var response = await _catalog.GetAsync("/api/quests?include_inactive=true", Ct).WaitAsync(RequestTimeout, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"Catalog.Api GET /api/quests answered {(int)response.StatusCode}: {body}");

        using var quests = JsonDocument.Parse(body);
        var seed = quests.RootElement.EnumerateArray().FirstOrDefault(q => q.GetProperty("name").GetString() == SeedName);
        Assert.True(seed.ValueKind == JsonValueKind.Object, $"Catalog.Api has no quest {SeedName}: {body}");
        Assert.True(
            seed.GetProperty("streak").GetInt32() == 3 && seed.GetProperty("duplication").GetInt32() == 2 && seed.GetProperty("is_active").GetBoolean(),
            $"{SeedName} is not the active streak 3 / duplication 2 seed quest: {seed}");
        return new SeedQuest(seed.GetProperty("quest_id").GetGuid(), SeedName);
    }

    // ---- the read API ----

    private HttpClient WorkerClient(string? token)
    {
        var http = fixture.CreateClient();
        http.Timeout = RequestTimeout;
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string path) =>
        http.GetAsync(path, Ct).WaitAsync(RequestTimeout, Ct);

    private static Task<JsonElement> GetJsonAsync(HttpClient http, string path, HttpStatusCode expected) => QuestApiClient.GetJsonAsync(http, path, expected);

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"answered {(int)response.StatusCode}, expected {(int)expected}: {body}");
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json",
            $"expected problem details, got {response.Content.Headers.ContentType}: {body}");
        var problem = JsonSerializer.Deserialize<JsonElement>(body);
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        return problem;
    }

    private static Task<T> EventuallyAsync<T>(string what, Func<Task<T>> probe, Func<T, bool> done) =>
        Poll.UntilAsync(what, _ => probe(), done, ProcessingTimeout, Ct);
}
