using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace QuestAspire.Bench;

public sealed record OpenLoopResult(
    string Name, double Rate, int Sent, double SendSeconds, IReadOnlyDictionary<int, int> Statuses,
    double SignInP50, double SignInP99, double ClaimP50, double ClaimP99, int ClaimsExpected, int ClaimsSeen,
    int Shed, double ShedP50, double ShedP99, int RejectedWithoutRetryAfter)
{
    public int Accepted => Statuses.GetValueOrDefault(200);

    /// <summary>
    /// Every accepted sign-in has its claim; a sign-in the bench gave up on (no answer within the
    /// client timeout) may still have been processed, so it may add one.
    /// </summary>
    public bool ClaimsAccountedFor => ClaimsSeen >= ClaimsExpected && ClaimsSeen <= ClaimsExpected + Statuses.GetValueOrDefault(0);

    public string NonOk => !Statuses.Any(s => s.Key != 200)
        ? "none"
        : string.Join(", ", Statuses.Where(s => s.Key != 200).OrderBy(s => s.Key).Select(s => $"{(s.Key == 0 ? "no answer" : s.Key.ToString(CultureInfo.InvariantCulture))}: {s.Value}"));
}

/// <summary>
/// Players signing in over HTTP at a fixed total rate: each sign-in is sent on its schedule,
/// whether or not earlier ones were answered. Every accepted sign-in completes the bench's
/// streak-1 quest, so each has a claim; its latency is the claim row's <c>created_at</c> minus
/// the moment the sign-in's answer arrived.
/// </summary>
public sealed class OpenLoop(BenchHost host, BenchApi api, BenchSettings settings)
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(5);

    public async Task<OpenLoopResult> RunAsync(
        string name, IReadOnlyList<Player> players, QuestRule benchQuest, double rate, TimeSpan duration, CancellationToken cancellationToken)
    {
        var users = players.Select(p => p.UserId).ToArray();
        var claimsBefore = await ClaimCountAsync(benchQuest, users, cancellationToken);
        var stepStart = DateTimeOffset.UtcNow;
        var total = (int)Math.Round(rate * duration.TotalSeconds);
        var sent = new List<Task<SignInAnswer>>(total);

        // The schedule: sign-in i leaves at i / rate seconds; each tick sends every one that is due.
        using (var timer = new PeriodicTimer(Tick))
        {
            var clock = Stopwatch.StartNew();
            while (sent.Count < total && await timer.WaitForNextTickAsync(cancellationToken))
            {
                while (sent.Count < total && clock.Elapsed.TotalSeconds >= sent.Count / rate)
                {
                    sent.Add(api.SignInAsync(players[sent.Count % players.Count], cancellationToken));
                }
            }
        }

        var sendSeconds = (DateTimeOffset.UtcNow - stepStart).TotalSeconds;
        var answers = await Task.WhenAll(sent).WaitAsync(TimeSpan.FromSeconds(90), cancellationToken);
        var accepted = answers.Where(a => a.Status == 200).ToList();
        var shed = answers.Where(a => a.Status is 429 or 503 && a.RetryAfter).ToList();

        var expected = claimsBefore + accepted.Count;
        try
        {
            await Poll.UntilAsync($"{accepted.Count} claims of {name}", ct => ClaimCountAsync(benchQuest, users, ct),
                seen => seen >= expected, settings.DrainTimeout, cancellationToken);
        }
        catch (TimeoutException e)
        {
            Console.WriteLine($"  {name}: {e.Message}");
        }

        var claims = await ClaimsSinceAsync(benchQuest, users, stepStart, cancellationToken);
        var claimLatencies = ClaimLatencies(accepted, claims);
        return new OpenLoopResult(name, rate, answers.Length, sendSeconds,
            answers.GroupBy(a => a.Status).ToDictionary(g => g.Key, g => g.Count()),
            Stats.Percentile(accepted.Select(a => a.Seconds), 50), Stats.Percentile(accepted.Select(a => a.Seconds), 99),
            Stats.Percentile(claimLatencies, 50), Stats.Percentile(claimLatencies, 99),
            accepted.Count, claims.Count,
            shed.Count, Stats.Percentile(shed.Select(a => a.Seconds), 50), Stats.Percentile(shed.Select(a => a.Seconds), 99),
            answers.Count(a => a.Status is 429 or 503 && !a.RetryAfter));
    }

    /// <summary>
    /// The sign-in answer does not name its event, so a player's k-th accepted sign-in (by answer
    /// time) is paired with the player's k-th claim of this step (by <c>created_at</c>).
    /// </summary>
    private static List<double> ClaimLatencies(List<SignInAnswer> accepted, List<(Guid User, DateTimeOffset CreatedAt)> claims)
    {
        var claimsByUser = claims.ToLookup(c => c.User, c => c.CreatedAt);
        return [.. accepted.GroupBy(a => a.Player.UserId).SelectMany(answers =>
            answers.OrderBy(a => a.AnsweredAt)
                .Zip(claimsByUser[answers.Key].Order(), (answer, createdAt) => (createdAt - answer.AnsweredAt).TotalSeconds))];
    }

    private async Task<long> ClaimCountAsync(QuestRule quest, Guid[] users, CancellationToken cancellationToken)
    {
        await using var command = host.AuthDb.CreateCommand("SELECT count(*) FROM reward_claims WHERE quest_id = $1 AND user_id = ANY($2)");
        command.Parameters.Add(new NpgsqlParameter { Value = quest.QuestId });
        command.Parameters.Add(new NpgsqlParameter { Value = users });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<List<(Guid, DateTimeOffset)>> ClaimsSinceAsync(QuestRule quest, Guid[] users, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var command = host.AuthDb.CreateCommand(
            "SELECT user_id, created_at FROM reward_claims WHERE quest_id = $1 AND user_id = ANY($2) AND created_at >= $3");
        command.Parameters.Add(new NpgsqlParameter { Value = quest.QuestId });
        command.Parameters.Add(new NpgsqlParameter { Value = users });
        command.Parameters.Add(new NpgsqlParameter { Value = since });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var claims = new List<(Guid, DateTimeOffset)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            claims.Add((reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1)));
        }

        return claims;
    }
}
