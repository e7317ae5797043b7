using System.Net;
using System.Text.Json;
using static QuestAspire.IntegrationTests.HostileInput;

namespace QuestAspire.IntegrationTests;

/// <summary>
/// The hostile-input matrix against the running system: every endpoint that takes input × every
/// string field × <see cref="HostileInput.Strings"/>, and every numeric field ×
/// <see cref="HostileInput.Numbers"/>. Every answer is a 4xx with problem details, or a 2xx whose
/// stored value reads back exactly (a name in its canonical form: NFKC, trimmed); never a 5xx,
/// never a silent change, and a refused write leaves nothing behind. The endpoints are those the
/// services map: Auth <c>/users/signup</c>, <c>/login/access-token</c>, the claim, ban and
/// dead-letter routes; Catalog's quest and reward commands and reads; the worker's progress,
/// events and dead-letter routes. Each test makes its own quests and rewards (names carry a
/// per-run prefix) and deactivates them at the end.
/// </summary>
public sealed class HostileInputTests(AppFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private readonly List<string> _created = [];
    private readonly Dictionary<int, int> _statuses = [];
    private int _names;
    private HttpClient _authHttp = null!;
    private HttpClient _catalogHttp = null!;
    private HttpClient _workerHttp = null!;
    private HostileClient _auth = null!;
    private HostileClient _catalog = null!;
    private HostileClient _worker = null!;
    private string _admin = null!;
    private string _player = null!;
    private int _requestsAtStart;

    private string Prefix => $"hx-{_run}-";

    public async ValueTask InitializeAsync()
    {
        _authHttp = fixture.App.CreateHttpClient(ResourceNames.AuthApi);
        _catalogHttp = fixture.App.CreateHttpClient(ResourceNames.CatalogApi);
        _workerHttp = fixture.App.CreateHttpClient(ResourceNames.ProcessingWorker);
        foreach (var http in new[] { _authHttp, _catalogHttp, _workerHttp })
        {
            http.Timeout = QuestApiClient.RequestTimeout;
        }

        _auth = new(_authHttp, ResourceNames.AuthApi);
        _catalog = new(_catalogHttp, ResourceNames.CatalogApi);
        _worker = new(_workerHttp, ResourceNames.ProcessingWorker);
        var key = await TestTokens.GetSigningKeyAsync(fixture.App, TestContext.Current.CancellationToken);
        _admin = TestTokens.Create(key, TestTokens.AdminRole);
        _player = TestTokens.Create(key, TestTokens.PlayerRole);
        _requestsAtStart = HostileClient.Requests;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var path in _created)
        {
            using var _ = await _catalogHttp.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"{path}/deactivate")
            {
                Headers = { Authorization = new("Bearer", _admin) },
            });
        }

        var requests = HostileClient.Requests - _requestsAtStart;
        var summary = $"hostile-input corpus: {Strings.Length} strings ({string.Join(", ", Strings.Select(s => s.Label))}), {Numbers.Length} numbers ({string.Join(" ", Numbers)}); " +
            $"{requests} requests in this test ({HostileClient.Requests} in the matrix so far); answers {string.Join(", ", _statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}";
        output.WriteLine(summary);
        TestContext.Current.SendDiagnosticMessage(summary);
        _authHttp.Dispose();
        _catalogHttp.Dispose();
        _workerHttp.Dispose();
    }

    [Fact]
    public async Task CatalogRewards_HostileInput_Is4xxOrStoredExactly()
    {
        var target = await CreateRewardAsync();
        var state = await ReadRewardAsync(target);
        var accepted = new HashSet<string>(StringComparer.Ordinal);

        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Put })
        {
            var cases = new List<(string What, Dictionary<string, string> Body, string Name, HostileString? Text)>();
            foreach (var text in Strings)
            {
                var name = NewName(text.Value);
                cases.Add(($"name={text}", RewardBody(JsonLiteral(name)), name, text));
                var other = NewName();
                var body = RewardBody(JsonLiteral(other));
                body["item"] = JsonLiteral(text.Value);
                cases.Add(($"item={text}", body, other, text));
            }

            foreach (var number in Numbers)
            {
                var name = NewName();
                var body = RewardBody(JsonLiteral(name));
                body["qty"] = number;
                cases.Add(($"qty={number}", body, name, null));
            }

            foreach (var (what, body, name, text) in cases)
            {
                var path = method == HttpMethod.Post ? "/api/rewards" : $"/api/rewards/{target}";
                var reply = Tally(await _catalog.JsonAsync(method, path, _admin, JsonObject(body)));
                if (reply.IsSuccess)
                {
                    Assert.False(text?.IsInvalidText == true, $"{what}: accepted text that is not valid Unicode: {reply}");
                    var id = reply.Json().GetProperty("reward_id").GetGuid();
                    if (method == HttpMethod.Post)
                    {
                        _created.Add($"/api/rewards/{id}");
                    }

                    var read = await ReadRewardAsync(id);
                    var expected = (Name: CanonicalName(name), Item: JsonSerializer.Deserialize<string>(body["item"]), Qty: body["qty"]);
                    Assert.True(read == expected, $"{what}: stored {read}, sent {expected} ({reply})");
                    if (method == HttpMethod.Post)
                    {
                        accepted.Add(read.Name);
                    }
                    else
                    {
                        state = read;
                    }
                }
                else if (method == HttpMethod.Put)
                {
                    var read = await ReadRewardAsync(target);
                    Assert.True(read == state, $"{what}: a refused update changed the reward to {read} from {state} ({reply})");
                }
            }
        }

        accepted.Add(state.Name);
        await AssertOnlyAcceptedNamesStoredAsync("/api/rewards?include_inactive=true", accepted);
    }

    [Fact]
    public async Task CatalogQuests_HostileInput_Is4xxOrStoredExactly()
    {
        var reward = await CreateRewardAsync();
        var target = await CreateQuestAsync(reward);
        var state = await ReadQuestAsync(target);
        var accepted = new HashSet<string>(StringComparer.Ordinal);

        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Put })
        {
            var cases = new List<(string What, Dictionary<string, string> Body, string Name, HostileString? Text)>();
            foreach (var text in Strings)
            {
                var name = NewName(text.Value);
                cases.Add(($"name={text}", QuestBody(JsonLiteral(name), reward), name, text));
                foreach (var field in new[] { "description", "reward_id", "auto_claim" })
                {
                    var other = NewName();
                    var body = QuestBody(JsonLiteral(other), reward);
                    body[field] = JsonLiteral(text.Value);
                    cases.Add(($"{field}={text}", body, other, text));
                }
            }

            foreach (var field in new[] { "streak", "duplication" })
            {
                foreach (var number in Numbers)
                {
                    var name = NewName();
                    var body = QuestBody(JsonLiteral(name), reward);
                    body[field] = number;
                    cases.Add(($"{field}={number}", body, name, null));
                }
            }

            foreach (var (what, body, name, text) in cases)
            {
                var path = method == HttpMethod.Post ? "/api/quests" : $"/api/quests/{target}";
                var reply = Tally(await _catalog.JsonAsync(method, path, _admin, JsonObject(body)));
                if (reply.IsSuccess)
                {
                    Assert.False(text?.IsInvalidText == true, $"{what}: accepted text that is not valid Unicode: {reply}");
                    var id = reply.Json().GetProperty("quest_id").GetGuid();
                    if (method == HttpMethod.Post)
                    {
                        _created.Add($"/api/quests/{id}");
                    }

                    var read = await ReadQuestAsync(id);
                    var expected = new QuestState(
                        CanonicalName(name), JsonSerializer.Deserialize<string>(body["description"])!, body["streak"], body["duplication"], body["auto_claim"], JsonSerializer.Deserialize<string>(body["reward_id"])!);
                    Assert.True(read == expected, $"{what}: stored {read}, sent {expected} ({reply})");
                    if (method == HttpMethod.Post)
                    {
                        accepted.Add(read.Name);
                    }
                    else
                    {
                        state = read;
                    }
                }
                else if (method == HttpMethod.Put)
                {
                    var read = await ReadQuestAsync(target);
                    Assert.True(read == state, $"{what}: a refused update changed the quest to {read} from {state} ({reply})");
                }
            }
        }

        accepted.Add(state.Name);
        await AssertOnlyAcceptedNamesStoredAsync("/api/quests?include_inactive=true", accepted);
    }

    [Fact]
    public async Task AuthSignUpAndSignIn_HostileInput_Is4xxOrStoredExactly()
    {
        // Sign-up is rate limited per address: only the password cases can succeed (a hostile
        // user name never matches the name rule), so at most that many players are made.
        const string GoodPassword = "correct-horse-1";
        var signUps = 0;
        string? someUser = null;
        foreach (var text in Strings)
        {
            var userName = NewUserName();
            var password = "password-" + text.Value;
            var reply = Tally(await _auth.JsonAsync(HttpMethod.Post, "/users/signup", null,
                JsonObject([new("user_name", JsonLiteral(userName)), new("password", JsonLiteral(password))])));
            if (reply.IsSuccess)
            {
                signUps++;
                Assert.False(text.IsInvalidText, $"password={text}: accepted text that is not valid Unicode: {reply}");
                await AssertSignsInAsync(userName, password, $"password={text}");
                someUser ??= userName;
            }
        }

        foreach (var text in Strings)
        {
            var reply = Tally(await _auth.JsonAsync(HttpMethod.Post, "/users/signup", null,
                JsonObject([new("user_name", JsonLiteral(text.Value)), new("password", JsonLiteral(GoodPassword))])));
            if (reply.IsSuccess)
            {
                signUps++;
                Assert.False(text.IsInvalidText, $"user_name={text}: accepted text that is not valid Unicode: {reply}");
                await AssertSignsInAsync(text.Value, GoodPassword, $"user_name={text}");
            }
        }

        output.WriteLine($"sign-ups that succeeded: {signUps}");
        Assert.True(signUps <= 8, $"{signUps} sign-ups succeeded; the matrix keeps them at 8 or fewer (the per-address limit)");
        Assert.True(someUser is not null, "no hostile password was accepted at all: the password rule refuses more than NUL and lone surrogates");

        // Sign-in (a form): hostile user names and passwords never sign anyone in, and never fail.
        foreach (var text in Strings)
        {
            var byName = Tally(await _auth.FormAsync("/login/access-token", $"username={PercentEncode(text.Value)}&password={PercentEncode(GoodPassword)}"));
            Assert.False(byName.IsSuccess, $"username={text} signed in: {byName}");
            var byPassword = Tally(await _auth.FormAsync("/login/access-token", $"username={PercentEncode(someUser)}&password={PercentEncode(text.Value)}"));
            Assert.False(byPassword.IsSuccess, $"password={text} signed in as {someUser}: {byPassword}");
        }

        // The routes that take an id or a queue name from the path or query.
        foreach (var text in Strings)
        {
            Tally(await _auth.PostAsync($"/users/me/claims/{PercentEncode(text.Value)}/claim", _player));
            Tally(await _auth.PostAsync($"/users/{PercentEncode(text.Value)}/ban", _admin));
            Tally(await _auth.PostAsync($"/api/admin/dead-letters/replay?queue={PercentEncode(text.Value)}", _admin));
        }
    }

    [Fact]
    public async Task CatalogAndWorkerReads_HostileInput_Are4xxOr2xx()
    {
        var someone = Guid.NewGuid();
        foreach (var text in Strings)
        {
            var value = PercentEncode(text.Value);
            Tally(await _catalog.GetAsync($"/api/quests/by-name/{value}"));
            Tally(await _catalog.GetAsync($"/api/quests?include_inactive={value}"));
            Tally(await _catalog.GetAsync($"/api/rewards?include_inactive={value}"));
            Tally(await _catalog.GetAsync($"/api/quests/{value}"));
            Tally(await _worker.GetAsync($"/api/users/{value}/progress", _admin));
            Tally(await _worker.GetAsync($"/api/users/{someone}/events?page={value}", _admin));
            Tally(await _worker.GetAsync($"/api/users/{someone}/events?page_size={value}", _admin));
            Tally(await _worker.PostAsync($"/api/admin/dead-letters/replay?queue={value}", _admin));
        }

        foreach (var number in Numbers)
        {
            var value = PercentEncode(number);
            var page = Tally(await _worker.GetAsync($"/api/users/{someone}/events?page={value}", _admin));
            var size = Tally(await _worker.GetAsync($"/api/users/{someone}/events?page_size={value}", _admin));
            // Only a whole number in range is a page: the others are refused, not read as something else.
            Assert.True(page.IsSuccess == number is "2147483647", $"page={number}: {page}");
            Assert.True(!size.IsSuccess, $"page_size={number}: {size}");
        }
    }

    [Fact]
    public async Task LookAlikeNames_OfQuestsAndRewards_AreRefused()
    {
        var name = NewName("look");
        var reward = await CreateRewardAsync(name);
        var quest = await CreateQuestAsync(reward, name);
        var other = await CreateQuestAsync(reward);
        var otherState = await ReadQuestAsync(other);
        var upper = name.ToUpperInvariant();
        var fullWidth = string.Concat(name.Select(c => c is >= '!' and <= '~' ? (char)(c - '!' + '！') : c));
        var zeroWidth = name.Insert(3, "\u200B");

        foreach (var (path, body) in new[]
        {
            ("/api/rewards", (Func<string, Dictionary<string, string>>)(n => RewardBody(JsonLiteral(n)))),
            ("/api/quests", n => QuestBody(JsonLiteral(n), reward)),
        })
        {
            foreach (var lookAlike in new[] { upper, fullWidth })
            {
                var reply = Tally(await _catalog.JsonAsync(HttpMethod.Post, path, _admin, JsonObject(body(lookAlike))));
                AssertNameConflict(reply, $"POST {path} '{lookAlike}' next to '{name}'");
            }

            var invisible = Tally(await _catalog.JsonAsync(HttpMethod.Post, path, _admin, JsonObject(body(zeroWidth))));
            Assert.True(invisible.Status == HttpStatusCode.BadRequest && invisible.Json().GetProperty("errors").TryGetProperty("name", out _),
                $"a name with a zero-width space is a 400 on name: {invisible}");
        }

        var renamed = Tally(await _catalog.JsonAsync(HttpMethod.Put, $"/api/quests/{other}", _admin, JsonObject(QuestBody(JsonLiteral(upper), reward))));
        AssertNameConflict(renamed, $"PUT a quest to '{upper}' next to '{name}'");
        Assert.Equal(otherState, await ReadQuestAsync(other));
        Assert.Equal(name, (await ReadQuestAsync(quest)).Name);
    }

    [Fact]
    public async Task FrameworkAnswers_OfEveryService_AreProblemDetailsWithATraceId()
    {
        var someone = Guid.NewGuid();
        var cases = new List<(HostileClient Client, HttpMethod Method, string Path, HttpStatusCode Expected, (string, string)? Header)>();
        foreach (var client in new[] { _auth, _catalog, _worker })
        {
            cases.Add((client, HttpMethod.Get, $"/no-such-route-{_run}", HttpStatusCode.NotFound, null));
            cases.Add((client, HttpMethod.Get, "/" + new string('a', 9_000), HttpStatusCode.RequestUriTooLong, null));
            cases.Add((client, HttpMethod.Get, "/alive", (HttpStatusCode)431, ("X-Big", new string('b', 40_000))));
        }

        cases.Add((_auth, HttpMethod.Get, "/users/signup", HttpStatusCode.MethodNotAllowed, null));
        cases.Add((_catalog, HttpMethod.Delete, "/api/quests", HttpStatusCode.MethodNotAllowed, null));
        cases.Add((_worker, HttpMethod.Post, $"/api/users/{someone}/events", HttpStatusCode.MethodNotAllowed, null));
        cases.Add((_auth, HttpMethod.Get, "/users/me", HttpStatusCode.Unauthorized, null));

        foreach (var (client, method, path, expected, header) in cases)
        {
            var reply = Tally(header is { } h
                ? await client.WithHeaderAsync(method, path, h.Item1, h.Item2)
                : await client.SendBareAsync(method, path));
            Assert.True(reply.Status == expected, $"expected {(int)expected}: {reply}");
            var problem = reply.Json();
            Assert.True(problem.TryGetProperty("status", out var status) && status.GetInt32() == (int)expected, $"the problem does not repeat its status: {reply}");
            Assert.True(problem.TryGetProperty("traceId", out _) || problem.TryGetProperty("trace_id", out _), $"the problem has no trace id: {reply}");
        }
    }

    private HostileReply Tally(HostileReply reply)
    {
        _statuses[reply.Code] = _statuses.GetValueOrDefault(reply.Code) + 1;
        return reply;
    }

    private string NewName(string suffix = "") => $"{Prefix}{Interlocked.Increment(ref _names)}-{suffix}";

    private string NewUserName() => $"hx{_run}{Interlocked.Increment(ref _names)}";

    private static Dictionary<string, string> RewardBody(string nameJson) =>
        new() { ["name"] = nameJson, ["item"] = "\"gold\"", ["qty"] = "5" };

    private Dictionary<string, string> QuestBody(string nameJson, Guid reward) => new()
    {
        ["name"] = nameJson,
        ["description"] = JsonLiteral($"made by {nameof(HostileInputTests)} {_run}"),
        ["streak"] = "3",
        ["duplication"] = "2",
        ["auto_claim"] = "false",
        ["reward_id"] = JsonLiteral(reward.ToString()),
    };

    private async Task<Guid> CreateRewardAsync(string? name = null)
    {
        var reply = Tally(await _catalog.JsonAsync(HttpMethod.Post, "/api/rewards", _admin, JsonObject(RewardBody(JsonLiteral(name ?? NewName("reward"))))));
        Assert.True(reply.Status == HttpStatusCode.Created, $"{reply}");
        var id = reply.Json().GetProperty("reward_id").GetGuid();
        _created.Add($"/api/rewards/{id}");
        return id;
    }

    private async Task<Guid> CreateQuestAsync(Guid reward, string? name = null)
    {
        var reply = Tally(await _catalog.JsonAsync(HttpMethod.Post, "/api/quests", _admin, JsonObject(QuestBody(JsonLiteral(name ?? NewName("quest")), reward))));
        Assert.True(reply.Status == HttpStatusCode.Created, $"{reply}");
        var id = reply.Json().GetProperty("quest_id").GetGuid();
        _created.Add($"/api/quests/{id}");
        return id;
    }

    private async Task<(string Name, string? Item, string Qty)> ReadRewardAsync(Guid id)
    {
        var reply = Tally(await _catalog.GetAsync($"/api/rewards/{id}"));
        Assert.True(reply.Status == HttpStatusCode.OK, $"{reply}");
        var json = reply.Json();
        return (json.GetProperty("name").GetString()!, json.GetProperty("item").GetString(), json.GetProperty("qty").GetRawText());
    }

    private sealed record QuestState(string Name, string Description, string Streak, string Duplication, string AutoClaim, string RewardId);

    private async Task<QuestState> ReadQuestAsync(Guid id)
    {
        var reply = Tally(await _catalog.GetAsync($"/api/quests/{id}"));
        Assert.True(reply.Status == HttpStatusCode.OK, $"{reply}");
        var json = reply.Json();
        return new(
            json.GetProperty("name").GetString()!,
            json.GetProperty("description").GetString()!,
            json.GetProperty("streak").GetRawText(),
            json.GetProperty("duplication").GetRawText(),
            json.GetProperty("auto_claim").GetRawText(),
            json.GetProperty("reward").GetProperty("reward_id").GetString()!);
    }

    // Every name of this run in the list was accepted by a 2xx: a refused write stored nothing.
    private async Task AssertOnlyAcceptedNamesStoredAsync(string listPath, HashSet<string> accepted)
    {
        var list = Tally(await _catalog.GetAsync(listPath));
        var stored = list.Json().EnumerateArray().Select(e => e.GetProperty("name").GetString()!).Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        var unexpected = stored.Except(accepted).ToList();
        Assert.True(unexpected.Count == 0, $"stored without a 2xx: {string.Join(" | ", unexpected.Select(n => n.Length > 60 ? n[..60] + "…" : n))}");
    }

    private async Task AssertSignsInAsync(string userName, string password, string what)
    {
        var signIn = Tally(await _auth.FormAsync("/login/access-token", $"username={PercentEncode(userName)}&password={PercentEncode(password)}", waitIfThrottled: true));
        Assert.True(signIn.Status == HttpStatusCode.OK, $"{what}: the account made cannot sign in with what was sent: {signIn}");
        var token = signIn.Json().GetProperty("access_token").GetString()!;
        var me = Tally(await _auth.GetAsync("/users/me", token));
        Assert.True(me.Status == HttpStatusCode.OK && me.Json().GetProperty("user_name").GetString() == CanonicalName(userName), $"{what}: stored as {me}");
    }

    private static void AssertNameConflict(HostileReply reply, string what)
    {
        Assert.True(reply.Status == HttpStatusCode.Conflict, $"{what}: expected 409: {reply}");
        Assert.True(reply.Json().TryGetProperty("errors", out var errors) && errors.TryGetProperty("name", out _), $"{what}: the 409 does not name the field: {reply}");
    }
}
