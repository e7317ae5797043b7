using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net;
using System.Text.Json;

namespace QuestAspire.Bench;

public sealed record Player(Guid UserId, string UserName, string Password);

/// <summary>A quest as the worker applies it: <c>Streak</c> sign-ins complete it, at most <c>Duplication</c> times.</summary>
public sealed record QuestRule(Guid QuestId, string Name, int Streak, int Duplication);

/// <summary>The answer to one sign-in as the player saw it.</summary>
public sealed record SignInAnswer(Player Player, int Status, bool RetryAfter, DateTimeOffset AnsweredAt, double Seconds);

/// <summary>The services' public HTTP APIs, as a player, the Web front end or an admin with curl use them.</summary>
public sealed class BenchApi : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private readonly HttpClient _auth;
    private readonly HttpClient _catalog;

    public BenchApi(Uri authUrl, Uri catalogUrl, string adminToken)
    {
        // Plain clients, no retries or resilience handler: every answer is measured as it came.
        _auth = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue }) { BaseAddress = authUrl, Timeout = RequestTimeout };
        _catalog = new HttpClient { BaseAddress = catalogUrl, Timeout = RequestTimeout };
        _catalog.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
    }

    /// <summary>
    /// New players, created in bulk by an admin (<c>POST /admin/users</c>, past the public
    /// sign-up limit), 25 per request: each costs a password hash, about 130 ms of one core here, so a
    /// request stays well inside the client's timeout on a busy machine (100 at once took over 30 s under load).
    /// </summary>
    public async Task<List<Player>> CreatePlayersAsync(int count, string prefix, CancellationToken cancellationToken)
    {
        const int PerRequest = 25;
        var players = new List<Player>(count);
        for (var start = 0; start < count; start += PerRequest)
        {
            var chunk = Enumerable.Range(start, Math.Min(PerRequest, count - start))
                .Select(i => new Player(Guid.Empty, $"{prefix}-{i}-{Guid.NewGuid().ToString("N")[..8]}", "bench-password-1"))
                .ToList();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/users")
            {
                Content = JsonContent.Create(new { users = chunk.Select(p => new { user_name = p.UserName, password = p.Password }) }),
            };
            request.Headers.Authorization = _catalog.DefaultRequestHeaders.Authorization;
            using var response = await _auth.SendAsync(request, cancellationToken);
            var body = await EnsureAsync(response, HttpStatusCode.Created);
            var created = body.GetProperty("users").EnumerateArray().ToList();
            players.AddRange(chunk.Select((p, i) => p with { UserId = created[i].GetProperty("user_id").GetGuid() }));
        }

        return players;
    }

    /// <summary>A streak-1 auto-claim quest with a reward of its own: every sign-in completes it, up to <paramref name="duplication"/> times.</summary>
    public async Task<QuestRule> CreateQuestAsync(string name, int duplication, CancellationToken cancellationToken)
    {
        using var rewardResponse = await _catalog.PostAsJsonAsync("/api/rewards", new { name, item = "gold", qty = 1 }, cancellationToken);
        var reward = await EnsureAsync(rewardResponse, HttpStatusCode.Created);
        using var questResponse = await _catalog.PostAsJsonAsync("/api/quests", new
        {
            name,
            description = "Benchmark quest: every sign-in completes it.",
            streak = 1,
            duplication,
            auto_claim = true,
            reward_id = reward.GetProperty("reward_id").GetGuid(),
        }, cancellationToken);
        var quest = await EnsureAsync(questResponse, HttpStatusCode.Created);
        return new QuestRule(quest.GetProperty("quest_id").GetGuid(), name, 1, duplication);
    }

    public async Task DeactivateQuestAsync(QuestRule quest, CancellationToken cancellationToken)
    {
        var body = await GetAsync($"/api/quests/{quest.QuestId}", cancellationToken);
        using var questResponse = await _catalog.PostAsync($"/api/quests/{quest.QuestId}/deactivate", null, cancellationToken);
        await EnsureAsync(questResponse, HttpStatusCode.OK);
        using var rewardResponse = await _catalog.PostAsync($"/api/rewards/{body.GetProperty("reward").GetProperty("reward_id").GetGuid()}/deactivate", null, cancellationToken);
        await EnsureAsync(rewardResponse, HttpStatusCode.OK);
    }

    /// <summary>Every active quest: each sign-in counts toward all of them.</summary>
    public async Task<List<QuestRule>> ActiveQuestsAsync(CancellationToken cancellationToken)
    {
        var quests = await GetAsync("/api/quests", cancellationToken);
        return [.. quests.EnumerateArray()
            .Where(q => q.GetProperty("is_active").GetBoolean())
            .Select(q => new QuestRule(q.GetProperty("quest_id").GetGuid(), q.GetProperty("name").GetString()!,
                q.GetProperty("streak").GetInt32(), q.GetProperty("duplication").GetInt32()))];
    }

    /// <summary>One sign-in (<c>POST /login/access-token</c>); a timeout or a refused connection is status 0.</summary>
    public async Task<SignInAnswer> SignInAsync(Player player, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await _auth.PostAsync("/login/access-token",
                new FormUrlEncodedContent([new("username", player.UserName), new("password", player.Password)]), cancellationToken);
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            return new SignInAnswer(player, (int)response.StatusCode, response.Headers.RetryAfter is not null, DateTimeOffset.UtcNow, clock.Elapsed.TotalSeconds);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new SignInAnswer(player, 0, false, DateTimeOffset.UtcNow, clock.Elapsed.TotalSeconds);
        }
    }

    public void Dispose()
    {
        _auth.Dispose();
        _catalog.Dispose();
    }

    private async Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await _catalog.GetAsync(path, cancellationToken);
        return await EnsureAsync(response, HttpStatusCode.OK);
    }

    private static async Task<JsonElement> EnsureAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        return response.StatusCode == expected
            ? JsonSerializer.Deserialize<JsonElement>(body.Length > 0 ? body : "null")
            : throw new InvalidOperationException(
                $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}, expected {(int)expected}: {body}");
    }
}
