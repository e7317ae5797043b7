using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace QuestAspire.IntegrationTests;

/// <summary>
/// The wallet through the running AppHost: spends that never overdraw under contention, a ledger
/// that sums to every balance, idempotency keys that make a retried write count once, If-Match.
/// </summary>
public sealed class WalletTests(AppFixture fixture) : IDisposable
{
    private readonly QuestApiClient _api = new(fixture.App);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SixtyFourConcurrentSpends_OnABalanceThatCoversTwenty_TwentySucceed_TheRestAre409_AndTheLedgerSumsToZero()
    {
        var (userId, _, token) = await _api.NewPlayerSignedInAsync(1);
        await AdjustAsync(userId, "gold", 20 * 5, "test float");

        var answers = await Task.WhenAll(Enumerable.Range(0, 64).Select(i =>
            SpendAsync(token, new { item = "gold", qty = 5, reason = $"hat {i}" }, key: Guid.NewGuid().ToString())));

        Assert.Equal(20, answers.Count(a => a.Status == HttpStatusCode.OK));
        Assert.Equal(44, answers.Count(a => a.Status == HttpStatusCode.Conflict));
        var wallet = await QuestApiClient.GetAsync(_api.Auth, "/users/me/wallet", token);
        Assert.Equal(0, wallet.GetProperty("gold").GetInt64());
        Assert.Equal(21, wallet.GetProperty("version").GetInt64()); // the adjustment and 20 spends
        var ledger = await LedgerAsync(token, "?limit=200");
        Assert.Equal(20, ledger.Count(e => e.GetProperty("source").GetString() == "spend"));
        Assert.Equal(0, ledger.Where(e => e.GetProperty("item").GetString() == "gold").Sum(e => e.GetProperty("amount").GetInt64()));
        await AssertLedgerExplainsAsync(userId);
    }

    [Fact]
    public async Task OneKeySentSixteenTimesAtOnce_DebitsOnce_AndEveryAnswerIsTheFirst()
    {
        var (userId, _, token) = await _api.NewPlayerSignedInAsync(1);
        await AdjustAsync(userId, "gold", 100, "test float");
        var key = Guid.NewGuid().ToString();

        // Concurrent requests with one key land in one group-committed batch or in consecutive ones: either way one is written.
        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ =>
            SpendAsync(token, new { item = "gold", qty = 3, reason = "potion" }, key)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Single(answers.Select(a => a.Body.GetProperty("entry_id").GetGuid()).Distinct());
        Assert.Single(answers, a => a.Replayed is null);
        Assert.Single(await LedgerAsync(token, ""), e => e.GetProperty("source").GetString() == "spend");
        Assert.Equal(97, (await QuestApiClient.GetAsync(_api.Auth, "/users/me/wallet", token)).GetProperty("gold").GetInt64());
        await AssertLedgerExplainsAsync(userId);
    }

    [Fact]
    public async Task ThirtyTwoConcurrentSpends_WithOneIfMatch_OneSpends_TheRestAre412()
    {
        var (userId, _, token) = await _api.NewPlayerSignedInAsync(1);
        await AdjustAsync(userId, "gold", 100, "test float");
        using var read = await QuestApiClient.SendAsync(_api.Auth, HttpMethod.Get, "/users/me/wallet", token);
        var etag = read.Headers.ETag!.Tag;

        var answers = await Task.WhenAll(Enumerable.Range(0, 32).Select(i =>
            SpendAsync(token, new { item = "gold", qty = 1, reason = $"ticket {i}" }, key: Guid.NewGuid().ToString(), ifMatch: etag)));

        Assert.Single(answers, a => a.Status == HttpStatusCode.OK);
        Assert.Equal(31, answers.Count(a => a.Status == HttpStatusCode.PreconditionFailed));
        Assert.Equal(99, (await QuestApiClient.GetAsync(_api.Auth, "/users/me/wallet", token)).GetProperty("gold").GetInt64());
        await AssertLedgerExplainsAsync(userId);
    }

    [Fact]
    public async Task Spend_RetriedWithItsKey_AfterTheConnectionDroppedBeforeTheAnswer_DebitsOnce()
    {
        var (userId, _, token) = await _api.NewPlayerSignedInAsync(1);
        await AdjustAsync(userId, "diamond", 50, "test float");
        var key = Guid.NewGuid().ToString();
        var body = """{"item":"diamond","qty":7,"reason":"sword"}""";

        // The request goes out on a raw socket whose answer is never read: once the debit is in
        // the ledger, the connection is dropped, so the client saw nothing.
        var endpoint = fixture.App.GetEndpoint(ResourceNames.AuthApi, "http");
        using (var socket = new TcpClient())
        {
            await socket.ConnectAsync(endpoint.Host, endpoint.Port, Token);
            var request = $"POST /users/me/wallet/spend HTTP/1.1\r\nHost: {endpoint.Authority}\r\nAuthorization: Bearer {token}\r\n"
                + $"Idempotency-Key: {key}\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}";
            await socket.GetStream().WriteAsync(Encoding.UTF8.GetBytes(request), Token);
            await QuestApiClient.EventuallyAsync(() => LedgerAsync(token, ""), l => l.Any(e => e.GetProperty("source").GetString() == "spend"), "the first spend in the ledger");
            socket.Client.LingerState = new LingerOption(true, 0); // a reset, not a polite close
        }

        var retry = await SpendAsync(token, JsonDocument.Parse(body).RootElement, key);

        Assert.Equal(HttpStatusCode.OK, retry.Status);
        Assert.Equal("true", retry.Replayed);
        var spends = (await LedgerAsync(token, "")).Where(e => e.GetProperty("source").GetString() == "spend").ToList();
        Assert.Single(spends);
        Assert.Equal(spends[0].GetProperty("entry_id").GetGuid(), retry.Body.GetProperty("entry_id").GetGuid());
        Assert.Equal(43, retry.Body.GetProperty("diamond").GetInt64());
        Assert.Equal(43, (await QuestApiClient.GetAsync(_api.Auth, "/users/me/wallet", token)).GetProperty("diamond").GetInt64());
    }

    [Fact]
    public async Task Spend_SameKey_SameBodyAnswersTheFirstAnswer_AnotherBodyIs422_AndARefusalIsKeptToo()
    {
        var (userId, _, token) = await _api.NewPlayerSignedInAsync(1);
        await AdjustAsync(userId, "gold", 10, "test float");
        var key = Guid.NewGuid().ToString();

        var first = await SpendAsync(token, new { item = "gold", qty = 4, reason = "cape" }, key);
        var again = await SpendAsync(token, new { item = "gold", qty = 4, reason = "cape" }, key);
        var other = await SpendAsync(token, new { item = "gold", qty = 5, reason = "cape" }, key);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Null(first.Replayed);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal("true", again.Replayed);
        Assert.Equal(first.Text, again.Text);
        Assert.Equal(first.ETag, again.ETag);
        Assert.Equal((HttpStatusCode)422, other.Status);
        Assert.Equal(6, (await QuestApiClient.GetAsync(_api.Auth, "/users/me/wallet", token)).GetProperty("gold").GetInt64());

        // A 409 is an answer too: the same key keeps answering it, even after the balance would cover it.
        var refusalKey = Guid.NewGuid().ToString();
        var refused = await SpendAsync(token, new { item = "gold", qty = 9, reason = "crown" }, refusalKey);
        await AdjustAsync(userId, "gold", 10, "top-up");
        var refusedAgain = await SpendAsync(token, new { item = "gold", qty = 9, reason = "crown" }, refusalKey);
        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Equal(HttpStatusCode.Conflict, refusedAgain.Status);
        Assert.Equal(16, (await QuestApiClient.GetAsync(_api.Auth, "/users/me/wallet", token)).GetProperty("gold").GetInt64());
        await AssertLedgerExplainsAsync(userId);
    }

    [Fact]
    public async Task Spend_WhoseKeyAnotherTransactionHoldsUncommitted_WaitsForIt_ThenAnswersWhatThatStored_AndSpendsNothing()
    {
        var (userId, _, token) = await _api.NewPlayerSignedInAsync(1);
        await AdjustAsync(userId, "gold", 10, "test float");
        var key = Guid.NewGuid().ToString();

        // Another writer (a replica, or another endpoint) holds the key: its row is written, not yet committed.
        await using var authDb = NpgsqlDataSource.Create(await fixture.App.GetConnectionStringAsync(ResourceNames.AuthDb, Token)
            ?? throw new InvalidOperationException("authdb has no connection string."));
        await using var holder = await authDb.OpenConnectionAsync(Token);
        await using var holding = await holder.BeginTransactionAsync(Token);
        await using var whoHolds = new NpgsqlCommand("SELECT pg_backend_pid()", holder, holding);
        var holderPid = (int)(await whoHolds.ExecuteScalarAsync(Token))!;
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO idempotency_keys (scope, key, request_hash, status_code, content_type, body, created_at)
            VALUES ($1, $2, 'another request', 200, 'application/json', '{}'::bytea, now())
            """, holder, holding) { Parameters = { new() { Value = userId.ToString() }, new() { Value = key } } })
        {
            await insert.ExecuteNonQueryAsync(Token);
        }

        var spend = SpendAsync(token, new { item = "gold", qty = 4, reason = "cape" }, key);
        await Poll.UntilAsync("the spend to wait for the key's row", async ct =>
        {
            // Only a session blocked by this test's transaction: other tests' writers share the database.
            await using var waiting = authDb.CreateCommand("SELECT count(*) FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))");
            waiting.Parameters.Add(new() { Value = holderPid });
            return (long)(await waiting.ExecuteScalarAsync(ct))!;
        }, waiters => waiters > 0, QuestApiClient.RequestTimeout, Token);
        await holding.CommitAsync(Token);

        Assert.Equal((HttpStatusCode)422, (await spend).Status); // the key was first used for another request
        Assert.Equal(10, (await QuestApiClient.GetAsync(_api.Auth, "/users/me/wallet", token)).GetProperty("gold").GetInt64());
        Assert.DoesNotContain(await LedgerAsync(token, ""), e => e.GetProperty("source").GetString() == "spend");
        var next = await SpendAsync(token, new { item = "gold", qty = 4, reason = "cape" }, Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.OK, next.Status);
        await AssertLedgerExplainsAsync(userId);
    }

    [Fact]
    public async Task Wallet_HasAnETag_AStaleIfMatchIs412_TheCurrentOneSpends_IfNoneMatchIs304()
    {
        var (userId, _, token) = await _api.NewPlayerSignedInAsync(1);
        await AdjustAsync(userId, "gold", 10, "test float");
        using var read = await QuestApiClient.SendAsync(_api.Auth, HttpMethod.Get, "/users/me/wallet", token);
        var wallet = await read.Content.ReadFromJsonAsync<JsonElement>(Token);
        var etag = read.Headers.ETag!.Tag;
        Assert.Equal($"\"{wallet.GetProperty("version").GetInt64()}\"", etag);

        var current = await SpendAsync(token, new { item = "gold", qty = 1, reason = "apple" }, ifMatch: etag);
        var stale = await SpendAsync(token, new { item = "gold", qty = 1, reason = "apple" }, ifMatch: etag);

        Assert.Equal(HttpStatusCode.OK, current.Status);
        Assert.NotEqual(etag, current.ETag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.Status);
        Assert.Equal(9, (await QuestApiClient.GetAsync(_api.Auth, "/users/me/wallet", token)).GetProperty("gold").GetInt64());

        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/users/me/wallet");
        conditional.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        conditional.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(current.ETag!));
        using var notModified = await _api.Auth.SendAsync(conditional, Token);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Theory]
    [InlineData("""{"item":"ruby","qty":1,"reason":"x"}""", "item")]
    [InlineData("""{"item":"gold","qty":0,"reason":"x"}""", "qty")]
    [InlineData("""{"item":"gold","qty":-3,"reason":"x"}""", "qty")]
    [InlineData("""{"item":"gold","qty":1}""", "reason")]
    [InlineData("""{"item":"gold","qty":1,"reason":"   "}""", "reason")]
    [InlineData("""{"item":"gold","qty":1,"reason":"a\u0000b"}""", "reason")]
    public async Task Spend_WithABadField_Answers400NamingIt_AndWritesNothing(string body, string field)
    {
        var (userId, _, token) = await _api.NewPlayerSignedInAsync(1);
        await AdjustAsync(userId, "gold", 10, "test float");

        var answer = await SpendAsync(token, JsonDocument.Parse(body).RootElement, Guid.NewGuid().ToString());

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.True(answer.Body.GetProperty("errors").TryGetProperty(field, out _), answer.Text);
        var wallet = await QuestApiClient.GetAsync(_api.Auth, "/users/me/wallet", token);
        Assert.Equal((10, 1), (wallet.GetProperty("gold").GetInt64(), wallet.GetProperty("version").GetInt64()));
    }

    [Fact]
    public async Task Spend_PastTheBalance_Is409AndWritesNothing()
    {
        var (_, _, token) = await _api.NewPlayerSignedInAsync(1);

        var answer = await SpendAsync(token, new { item = "diamond", qty = 1, reason = "gem" });

        Assert.Equal(HttpStatusCode.Conflict, answer.Status);
        Assert.Contains("Not enough diamond", answer.Text);
        Assert.Empty(await LedgerAsync(token, ""));
    }

    [Fact]
    public async Task Admin_RefundsASpendOnce_AndTheLedgerPagesNewestFirst()
    {
        var (userId, _, token) = await _api.NewPlayerSignedInAsync(1);
        await AdjustAsync(userId, "gold", 30, "test float");
        var spend = await SpendAsync(token, new { item = "gold", qty = 12, reason = "boots" });
        var entryId = spend.Body.GetProperty("entry_id").GetGuid();

        var refund = await AdminPostAsync($"/admin/users/{userId}/wallet/refund", new { entry_id = entryId, reason = "did not fit" });
        var twice = await AdminPostAsync($"/admin/users/{userId}/wallet/refund", new { entry_id = entryId, reason = "again" });

        Assert.Equal(HttpStatusCode.OK, refund.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        var page = await QuestApiClient.GetAsync(_api.Auth, "/users/me/wallet/ledger?limit=2", token);
        var entries = page.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(["refund", "spend"], entries.Select(e => e.GetProperty("source").GetString()));
        Assert.Equal(entryId, entries[0].GetProperty("reference_id").GetGuid());
        Assert.Equal((12, 30), (entries[0].GetProperty("amount").GetInt64(), entries[0].GetProperty("balance_after").GetInt64()));
        Assert.Equal(-12, entries[1].GetProperty("amount").GetInt64());
        var rest = await QuestApiClient.GetAsync(_api.Auth, $"/users/me/wallet/ledger?limit=2&before={page.GetProperty("next").GetInt64()}", token);
        var older = Assert.Single(rest.GetProperty("entries").EnumerateArray());
        Assert.Equal("admin_adjustment", older.GetProperty("source").GetString());
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("next").ValueKind);
        await AssertLedgerExplainsAsync(userId);
    }

    [Fact]
    public async Task Admin_AdjustingPastTheBalanceOrWithoutAReason_IsRefused_AndAPlayerCannotAdjust()
    {
        var (userId, _, token) = await _api.NewPlayerSignedInAsync(1);

        using var debit = await AdminPostAsync($"/admin/users/{userId}/wallet/adjust", new { item = "gold", amount = -1, reason = "oops" });
        using var noReason = await AdminPostAsync($"/admin/users/{userId}/wallet/adjust", new { item = "gold", amount = 5 });
        using var zero = await AdminPostAsync($"/admin/users/{userId}/wallet/adjust", new { item = "gold", amount = 0, reason = "nothing" });
        using var overflow = await AdminPostAsync($"/admin/users/{userId}/wallet/adjust", new { item = "gold", amount = long.MaxValue, reason = "max" });
        using var past = await AdminPostAsync($"/admin/users/{userId}/wallet/adjust", new { item = "gold", amount = 1, reason = "one more" });
        using var byPlayer = await QuestApiClient.SendAsync(_api.Auth, HttpMethod.Post, $"/admin/users/{userId}/wallet/adjust", token,
            JsonContent.Create(new { item = "gold", amount = 5, reason = "myself" }));

        Assert.Equal(HttpStatusCode.Conflict, debit.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, zero.StatusCode);
        Assert.Equal(HttpStatusCode.OK, overflow.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, past.StatusCode);
        Assert.Contains("Wallet full", await past.Content.ReadAsStringAsync(Token));
        Assert.Equal(HttpStatusCode.Forbidden, byPlayer.StatusCode);
        Assert.Equal(long.MaxValue, (await QuestApiClient.GetAsync(_api.Auth, "/users/me/wallet", token)).GetProperty("gold").GetInt64());
        await AssertLedgerExplainsAsync(userId);
    }

    [Fact]
    public async Task AClaimedQuestReward_IsALedgerEntryNamingItsClaimAndQuest_AndAClaimRetriedWithItsKeyCreditsOnce()
    {
        var questId = await _api.GetQuestIdAsync("signin_three");
        var (userId, _, token) = await _api.NewPlayerSignedInAsync(3); // the seed quest: 3 sign-ins earn 10 diamonds, claimed by hand
        var claims = await QuestApiClient.EventuallyAsync(() => _api.GetClaimsAsync(token),
            c => c.Any(x => x.GetProperty("quest_id").GetGuid() == questId), "the seed quest's claim");
        var claimId = claims.First(x => x.GetProperty("quest_id").GetGuid() == questId).GetProperty("claim_id").GetGuid();
        var key = Guid.NewGuid().ToString();

        var first = await PostWithKeyAsync(_api.Auth, $"/users/me/claims/{claimId}/claim", token, new { }, key);
        var again = await PostWithKeyAsync(_api.Auth, $"/users/me/claims/{claimId}/claim", token, new { }, key);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal((HttpStatusCode.OK, "true", first.Text), (again.Status, again.Replayed, again.Text));
        var entry = Assert.Single(await LedgerAsync(token, ""), e => e.GetProperty("reference_id").ValueKind != JsonValueKind.Null && e.GetProperty("reference_id").GetGuid() == claimId);
        Assert.Equal("claim", entry.GetProperty("source").GetString());
        Assert.Equal(questId, entry.GetProperty("quest_id").GetGuid());
        Assert.Equal(("diamond", 10L), (entry.GetProperty("item").GetString(), entry.GetProperty("amount").GetInt64()));
        Assert.Equal(entry.GetProperty("balance_after").GetInt64(), first.Body.GetProperty("wallet").GetProperty("diamond").GetInt64());
        await AssertLedgerExplainsAsync(userId);
    }

    [Fact]
    public async Task ReportedEvent_WithAnIdempotencyKey_AnswersTheSameAgain_AndAnotherBodyIs422()
    {
        var (_, _, token) = await _api.NewPlayerSignedInAsync(1);
        var key = Guid.NewGuid().ToString();
        var body = new { event_id = Guid.NewGuid(), event_type = "wallet_test", occurred_at = DateTimeOffset.UtcNow.AddMinutes(-1) };

        var first = await PostWithKeyAsync(_api.Processing, "/api/events", token, body, key);
        var again = await PostWithKeyAsync(_api.Processing, "/api/events", token, body, key);
        var other = await PostWithKeyAsync(_api.Processing, "/api/events", token, body with { event_id = Guid.NewGuid() }, key);

        Assert.Equal(HttpStatusCode.Accepted, first.Status);
        Assert.Equal(HttpStatusCode.Accepted, again.Status);
        Assert.Equal("true", again.Replayed);
        Assert.Equal(first.Text, again.Text);
        Assert.Equal((HttpStatusCode)422, other.Status);
    }

    [Fact]
    public async Task Verify_ChecksEveryPlayer_AndFindsNoBalanceTheLedgerDoesNotExplain()
    {
        var admin = await _api.AdminTokenAsync();

        var all = await QuestApiClient.GetAsync(_api.Auth, "/admin/wallets/verify", admin);

        Assert.True(all.GetProperty("players_checked").GetInt32() >= 1);
        Assert.Empty(all.GetProperty("mismatches").EnumerateArray());
    }

    private sealed record Answer(HttpStatusCode Status, string Text, string? ETag, string? Replayed)
    {
        public JsonElement Body => Text.Length == 0 ? default : JsonDocument.Parse(Text).RootElement;
    }

    private async Task<Answer> SpendAsync(string token, object body, string? key = null, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/users/me/wallet/spend") { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await ReadAsync(await _api.Auth.SendAsync(request, Token).WaitAsync(QuestApiClient.RequestTimeout, Token));
    }

    private static async Task<Answer> PostWithKeyAsync(HttpClient http, string path, string token, object body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("Idempotency-Key", key);
        return await ReadAsync(await http.SendAsync(request, Token).WaitAsync(QuestApiClient.RequestTimeout, Token));
    }

    private static async Task<Answer> ReadAsync(HttpResponseMessage response)
    {
        using (response)
        {
            return new Answer(response.StatusCode, await response.Content.ReadAsStringAsync(Token), response.Headers.ETag?.Tag,
                response.Headers.TryGetValues("Idempotent-Replayed", out var replayed) ? replayed.Single() : null);
        }
    }

    private async Task<HttpResponseMessage> AdminPostAsync(string path, object body) =>
        await QuestApiClient.SendAsync(_api.Auth, HttpMethod.Post, path, await _api.AdminTokenAsync(), JsonContent.Create(body));

    private async Task AdjustAsync(Guid userId, string item, long amount, string reason)
    {
        using var response = await AdminPostAsync($"/admin/users/{userId}/wallet/adjust", new { item, amount, reason });
        await QuestApiClient.EnsureStatusAsync(response, HttpStatusCode.OK);
    }

    private async Task<List<JsonElement>> LedgerAsync(string token, string query) =>
        [.. (await QuestApiClient.GetAsync(_api.Auth, "/users/me/wallet/ledger" + query, token)).GetProperty("entries").EnumerateArray()];

    private async Task AssertLedgerExplainsAsync(Guid userId)
    {
        var verify = await QuestApiClient.GetAsync(_api.Auth, $"/admin/wallets/verify?user_id={userId}", await _api.AdminTokenAsync());
        Assert.Equal(1, verify.GetProperty("players_checked").GetInt32());
        Assert.Empty(verify.GetProperty("mismatches").EnumerateArray());
    }

    public void Dispose() => _api.Dispose();
}
