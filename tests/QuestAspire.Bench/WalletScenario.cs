using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace QuestAspire.Bench;

public sealed record WalletResult(string Name, int Players, long Spends, long Refused, double Seconds, double P99Seconds, IReadOnlyDictionary<string, double> CpuSeconds)
{
    public double SpendsPerSecond => Spends / Seconds;

    /// <summary>CPU per 1,000 spends by component, busiest first: where a spend's time goes.</summary>
    public string CpuPerThousand => string.Join(", ", CpuSeconds.Where(c => c.Value > 0).OrderByDescending(c => c.Value)
        .Select(c => $"{c.Key} {c.Value / (Spends / 1000.0):F2} s"));
}

/// <summary>
/// Spends through <c>POST /users/me/wallet/spend</c>, each with its own <c>Idempotency-Key</c>
/// (the shape an app retries safely), by 32 concurrent clients for a fixed time: across many
/// players, then all on one hot player. Every answer must be 200 and the ledger must explain every
/// balance afterwards (<c>GET /admin/wallets/verify</c>); a count that differs fails the run.
/// </summary>
public sealed class WalletScenario(BenchHost host, BenchApi api, BenchSettings settings, string adminToken)
{
    private const int Concurrency = 32;
    private const long Float = 1_000_000_000;

    public async Task<IReadOnlyList<WalletResult>> RunAsync(CancellationToken cancellationToken)
    {
        using var auth = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue }) { BaseAddress = host.AuthUrl, Timeout = TimeSpan.FromSeconds(30) };
        var players = await api.CreatePlayersAsync(settings.FirehosePlayers, "wallet", cancellationToken);
        var tokens = new Dictionary<Guid, string>();
        foreach (var player in players)
        {
            tokens[player.UserId] = await SignInAsync(auth, player, cancellationToken);
            await AdjustAsync(auth, player.UserId, cancellationToken);
        }

        var duration = settings.StepDuration;
        var profiler = settings.ProfileDuration is not null ? new Profiler(Path.Combine(Path.GetTempPath(), "questaspire-bench-profiles"), "Auth.Api") : null;
        profiler?.Start(settings.ProfileDuration!.Value);
        var many = await SpendAsync(auth, "wallet, many players", players, tokens, duration, cancellationToken);
        if (profiler is not null)
        {
            await profiler.ReportAsync(cancellationToken);
        }

        var hot = await SpendAsync(auth, "wallet, one hot player", players.Take(1).ToList(), tokens, duration, cancellationToken);
        await CheckAsync(auth, players, many.Spends + hot.Spends, cancellationToken);
        return [many, hot];
    }

    private static async Task<WalletResult> SpendAsync(
        HttpClient auth, string name, List<Player> players, Dictionary<Guid, string> tokens, TimeSpan duration, CancellationToken cancellationToken)
    {
        long spends = 0, refused = 0, next = 0;
        var latencies = new List<double>[Concurrency];
        var cpuBefore = ProcessCpu.Snapshot();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async worker =>
        {
            latencies[worker] = [];
            while (clock.Elapsed < duration)
            {
                var player = players[(int)(Interlocked.Increment(ref next) % players.Count)];
                using var request = new HttpRequestMessage(HttpMethod.Post, "/users/me/wallet/spend")
                {
                    Content = JsonContent.Create(new { item = "gold", qty = 1, reason = "bench" }),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[player.UserId]);
                request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
                var started = clock.Elapsed;
                using var response = await auth.SendAsync(request, cancellationToken);
                latencies[worker].Add((clock.Elapsed - started).TotalSeconds);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref spends);
                }
                else
                {
                    Interlocked.Increment(ref refused);
                }
            }
        }));
        var seconds = clock.Elapsed.TotalSeconds;
        var cpu = ProcessCpu.Delta(cpuBefore, ProcessCpu.Snapshot());
        return new WalletResult(name, players.Count, spends, refused, seconds, Stats.Percentile(latencies.SelectMany(l => l), 99), cpu);
    }

    // Every spend answered 200 is one spend entry in the ledger, and the ledger explains every balance.
    private async Task CheckAsync(HttpClient auth, List<Player> players, long spends, CancellationToken cancellationToken)
    {
        await using var command = host.AuthDb.CreateCommand("SELECT count(*) FROM wallet_ledger WHERE user_id = ANY($1) AND source = 'Spend'");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = players.Select(p => p.UserId).ToArray() });
        var entries = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        var verify = await GetAsync(auth, "/admin/wallets/verify", cancellationToken);
        var mismatches = verify.GetProperty("mismatches").GetArrayLength();
        if (entries != spends || mismatches != 0)
        {
            throw new InvalidOperationException($"wallet counts differ: {spends} spends answered 200, {entries} spend entries in the ledger, {mismatches} balance(s) the ledger does not explain");
        }
    }

    private async Task<JsonElement> GetAsync(HttpClient auth, string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        using var response = await auth.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }

    private async Task AdjustAsync(HttpClient auth, Guid userId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/admin/users/{userId}/wallet/adjust")
        {
            Content = JsonContent.Create(new { item = "gold", amount = Float, reason = "bench float" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        using var response = await auth.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    private static async Task<string> SignInAsync(HttpClient auth, Player player, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var response = await auth.PostAsync("/login/access-token",
                new FormUrlEncodedContent([new("username", player.UserName), new("password", player.Password)]), cancellationToken);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("access_token").GetString()!;
            }

            if (attempt >= 20 || response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable))
            {
                throw new InvalidOperationException($"sign-in of {player.UserName} answered {(int)response.StatusCode}");
            }

            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), cancellationToken); // as the answer says
        }
    }
}
