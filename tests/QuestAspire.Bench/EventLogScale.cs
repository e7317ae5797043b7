using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace QuestAspire.Bench;

/// <summary>Figures of the activity page at one size of the log.</summary>
public sealed record ActivityPageResult(long LogRows, int Requests, double P50, double P99, double HeaviestP50, long HeaviestEvents,
    double RawP50, double RawP99, string CountPlan, string PagePlan);

/// <summary>
/// The event log at scale: synthetic events bulk-loaded straight into processingdb.events with
/// binary COPY (many players with a long tail of heavy ones, sign-ins and app events over 60 days),
/// then, at the checkpoint size and at the full size, the player's activity page over HTTP with its
/// queries' plans, and at the checkpoint a backtest and a rebuild through the worker's admin API.
/// </summary>
public sealed class EventLogScale(BenchHost host, BenchSettings settings, string adminToken)
{
    private const string SignIn = "UserSignIn";
    private static readonly string[] AppTypes = ["match_won", "level_up", "purchase"];
    private static readonly TimeSpan Span = TimeSpan.FromDays(60);
    private const int CopyChunk = 100_000;

    private readonly Random _random = new(15);
    private readonly Guid[] _players = [.. Enumerable.Range(0, settings.ScalePlayers).Select(_ => Guid.NewGuid())];
    private readonly DateTime _origin = DateTime.UtcNow - Span;
    private long _loaded;

    public async Task RunAsync(Report report, RawLimitsResult raw, CancellationToken cancellationToken)
    {
        using var worker = host.App.CreateHttpClient(ResourceNames.ProcessingWorker);
        worker.Timeout = TimeSpan.FromMinutes(5);
        worker.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);

        var checkpoint = Math.Min(settings.ScaleCheckpointEvents, settings.ScaleEvents);
        var (rate, seconds) = await LoadAsync(checkpoint, TimeSpan.MaxValue, cancellationToken);
        var vacuum = await VacuumAsync(cancellationToken);
        var scan = await RawScanAsync(cancellationToken);
        report.Add($"event log at scale: load {Count(checkpoint)}",
            $"{_loaded} synthetic events ({settings.ScalePlayers} players, 70% sign-ins, 60 days) by binary COPY in {seconds:F0} s ({Stats.Rate(rate)}); " +
            $"VACUUM (ANALYZE) {vacuum:F1} s; raw full read of the log in recorded_at order {Stats.Rate(scan)} rows",
            $"load = {Stats.Ratio(rate, raw.InsertRowsPerSecond)} of raw batched insert (COPY is not the batched-insert path)");
        var small = await ActivityPageAsync(worker, cancellationToken);
        ReportActivityPage(report, small);

        // The same window at both sizes: the checkpoint's events, so the answer is the same and only the table grew.
        var window = (From: _origin, To: _origin.AddTicks(_loaded * (Span.Ticks / settings.ScaleEvents)).AddSeconds(1));
        var before = await BacktestAsync(worker, report, scan, window.From, window.To, $"backtest over {Count(_loaded)} events", cancellationToken);
        await RebuildAsync(worker, report, scan, cancellationToken);

        if (settings.ScaleEvents > checkpoint)
        {
            (rate, seconds) = await LoadAsync(settings.ScaleEvents, settings.ScaleLoadBudget, cancellationToken);
            vacuum = await VacuumAsync(cancellationToken);
            var rows = await ScalarAsync("SELECT count(*) FROM events", cancellationToken);
            report.Add($"event log at scale: load {Count(settings.ScaleEvents)}",
                $"{_loaded} synthetic events in all ({rows} rows in the log); the last {_loaded - checkpoint} by binary COPY in {seconds:F0} s ({Stats.Rate(rate)})" +
                (_loaded < settings.ScaleEvents ? $", stopped at the {settings.ScaleLoadBudget.TotalMinutes:F0}-minute load budget" : "") +
                $"; VACUUM (ANALYZE) {vacuum:F1} s; table {await TextAsync("SELECT pg_size_pretty(pg_table_size('events'))", cancellationToken)}, " +
                $"indexes {await TextAsync("SELECT pg_size_pretty(pg_indexes_size('events'))", cancellationToken)}",
                $"load = {Stats.Ratio(rate, raw.InsertRowsPerSecond)} of raw batched insert");
            var large = await ActivityPageAsync(worker, cancellationToken);
            ReportActivityPage(report, large);
            report.Add("event log at scale: 1M vs full",
                $"activity page p50 {Stats.Ms(small.P50)} at {Count(small.LogRows)} rows vs {Stats.Ms(large.P50)} at {Count(large.LogRows)}; " +
                $"p99 {Stats.Ms(small.P99)} vs {Stats.Ms(large.P99)}; heaviest player p50 {Stats.Ms(small.HeaviestP50)} vs {Stats.Ms(large.HeaviestP50)}",
                $"p50 grew {large.P50 / small.P50:F2}× for {(double)large.LogRows / small.LogRows:F1}× the rows; raw SQL p50 {Fine(small.RawP50)} vs {Fine(large.RawP50)}");
            var after = await BacktestAsync(worker, report, scan, window.From, window.To,
                $"backtest of the same window at {Count(large.LogRows)} rows", cancellationToken);
            await ScanPlansAsync(report, window.From, window.To, before, after, cancellationToken);
        }
    }

    // The SQL alone takes well under a millisecond: whole milliseconds would read as 0.
    private static string Fine(double seconds) => $"{seconds * 1000:F2} ms";

    private static string Count(long rows) => rows >= 1_000_000 ? $"{rows / 1_000_000.0:0.#}M" : $"{rows / 1000.0:0.#}k";

    /// <summary>
    /// Adds events until the log holds <paramref name="target"/> synthetic ones, or the budget is spent. Event
    /// <c>i</c> of the full size happens at <c>i/ScaleEvents</c> of the 60 days, so the log grows in time order as
    /// a real one does; a player is drawn with weight 1/√rank (the heaviest of 100k players gets about 0.3% of
    /// all events, the median one about 1/140 of the heaviest's share), an event id is a random uuid as apps send.
    /// </summary>
    private async Task<(double Rate, double Seconds)> LoadAsync(long target, TimeSpan budget, CancellationToken cancellationToken)
    {
        var start = _loaded;
        var clock = Stopwatch.StartNew();
        var step = Span.Ticks / settings.ScaleEvents;
        await using var connection = await host.ProcessingDb.OpenConnectionAsync(cancellationToken);
        while (_loaded < target && clock.Elapsed < budget)
        {
            var rows = (int)Math.Min(CopyChunk, target - _loaded);
            await using (var writer = await connection.BeginBinaryImportAsync(
                "COPY events (event_id, event_type, user_id, occurred_at, recorded_at, data) FROM STDIN (FORMAT BINARY)", cancellationToken))
            {
                for (var i = 0; i < rows; i++)
                {
                    var occurred = _origin.AddTicks((_loaded + i) * step);
                    var u = _random.NextDouble();
                    var player = _players[(int)(u * u * _players.Length)];
                    var signIn = _random.Next(10) < 7;
                    await writer.StartRowAsync(cancellationToken);
                    await writer.WriteAsync(Guid.NewGuid(), NpgsqlDbType.Uuid, cancellationToken);
                    await writer.WriteAsync(signIn ? SignIn : AppTypes[_random.Next(AppTypes.Length)], NpgsqlDbType.Varchar, cancellationToken);
                    await writer.WriteAsync(player, NpgsqlDbType.Uuid, cancellationToken);
                    await writer.WriteAsync(occurred, NpgsqlDbType.TimestampTz, cancellationToken);
                    await writer.WriteAsync(occurred.AddMilliseconds(5 + _random.Next(500)), NpgsqlDbType.TimestampTz, cancellationToken);
                    await writer.WriteAsync(signIn ? "{}" : $$"""{"value": {{_random.Next(1, 50)}}}""", NpgsqlDbType.Jsonb, cancellationToken);
                }

                await writer.CompleteAsync(cancellationToken);
            }

            _loaded += rows;
        }

        Console.WriteLine($"loaded {_loaded - start} events in {clock.Elapsed.TotalSeconds:F0} s; {_loaded} synthetic in all");
        return ((_loaded - start) / clock.Elapsed.TotalSeconds, clock.Elapsed.TotalSeconds);
    }

    /// <summary>What autovacuum does to an insert-only table after a while (visibility map, statistics), done at once so the plans are the steady ones.</summary>
    private async Task<double> VacuumAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var command = host.ProcessingDb.CreateCommand("VACUUM (ANALYZE) events");
        command.CommandTimeout = 900;
        await command.ExecuteNonQueryAsync(cancellationToken);
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>The raw limit for anything that replays the log: every column of every row read in processing order, no service code.</summary>
    private async Task<double> RawScanAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var command = host.ProcessingDb.CreateCommand(
            "SELECT event_id, event_type, user_id, occurred_at, recorded_at, data FROM events ORDER BY recorded_at");
        command.CommandTimeout = 900;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        long rows = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            _ = reader.GetGuid(0);
            _ = reader.GetString(1);
            _ = reader.GetGuid(2);
            _ = reader.GetDateTime(3);
            _ = reader.GetDateTime(4);
            _ = reader.GetString(5);
            rows++;
        }

        return rows / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// <c>GET /api/users/{id}/events?page=1&amp;page_size=20</c> for random players (each player equally likely, so
    /// mostly light ones), the heaviest player alone, the same two SQL statements without the service, and their plans.
    /// </summary>
    private async Task<ActivityPageResult> ActivityPageAsync(HttpClient worker, CancellationToken cancellationToken)
    {
        var rows = await ScalarAsync("SELECT count(*) FROM events", cancellationToken);
        var heaviest = _players[0];
        var heaviestEvents = await ScalarAsync($"SELECT count(*) FROM events WHERE user_id = '{heaviest}'", cancellationToken);
        var sample = Enumerable.Range(0, settings.ScaleRequests + 20).Select(_ => _players[_random.Next(_players.Length)]).ToArray();

        var page = new List<double>();
        var heavy = new List<double>();
        for (var i = 0; i < sample.Length; i++)
        {
            var seconds = await GetPageAsync(worker, sample[i], cancellationToken);
            if (i >= 20)
            {
                page.Add(seconds);
            }

            if (i % 10 == 0)
            {
                heavy.Add(await GetPageAsync(worker, heaviest, cancellationToken));
            }
        }

        var rawSeconds = new List<double>();
        await using (var connection = await host.ProcessingDb.OpenConnectionAsync(cancellationToken))
        {
            foreach (var user in sample.Skip(20))
            {
                var clock = Stopwatch.StartNew();
                await using (var count = new NpgsqlCommand(CountSql, connection) { Parameters = { new() { Value = user } } })
                {
                    await count.ExecuteScalarAsync(cancellationToken);
                }

                await using (var query = new NpgsqlCommand(PageSql, connection) { Parameters = { new() { Value = user } } })
                await using (var reader = await query.ExecuteReaderAsync(cancellationToken))
                {
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        _ = reader.GetString(2);
                    }
                }

                rawSeconds.Add(clock.Elapsed.TotalSeconds);
            }
        }

        var median = sample[20];
        Console.WriteLine($"plans at {rows} rows, a random player ({median}) and the heaviest ({heaviest}, {heaviestEvents} events):");
        var countPlan = $"{await ExplainAsync(CountSql, median, cancellationToken)}; heaviest: {await ExplainAsync(CountSql, heaviest, cancellationToken)}";
        var pagePlan = $"{await ExplainAsync(PageSql, median, cancellationToken)}; heaviest: {await ExplainAsync(PageSql, heaviest, cancellationToken)}";
        return new ActivityPageResult(rows, page.Count, Stats.Percentile(page, 50), Stats.Percentile(page, 99), Stats.Percentile(heavy, 50), heaviestEvents,
            Stats.Percentile(rawSeconds, 50), Stats.Percentile(rawSeconds, 99), countPlan, pagePlan);
    }

    // The two statements EF Core makes of the API's query (the count, then the ordered page), written out to time and explain them alone.
    private const string CountSql = "SELECT count(*)::int FROM events AS e WHERE e.user_id = $1";
    private const string PageSql = """
        SELECT e.event_id, e.catalog_version, e.data, e.event_type, e.occurred_at, e.recorded_at, e.user_id
        FROM events AS e WHERE e.user_id = $1 ORDER BY e.occurred_at DESC, e.event_id DESC LIMIT 20 OFFSET 0
        """;

    private static async Task<double> GetPageAsync(HttpClient worker, Guid user, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var response = await worker.GetAsync($"/api/users/{user}/events?page=1&page_size=20", cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var seconds = clock.Elapsed.TotalSeconds;
        return response.StatusCode == HttpStatusCode.OK
            ? seconds
            : throw new InvalidOperationException($"GET /api/users/{user}/events answered {(int)response.StatusCode}: {body}");
    }

    /// <summary>EXPLAIN (ANALYZE, BUFFERS) printed whole on the console; for the report, the plan's nodes and the execution time.</summary>
    private async Task<string> ExplainAsync(string sql, Guid user, CancellationToken cancellationToken)
    {
        await using var command = host.ProcessingDb.CreateCommand("EXPLAIN (ANALYZE, BUFFERS) " + sql);
        command.Parameters.Add(new NpgsqlParameter { Value = user });
        var lines = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                lines.Add(reader.GetString(0));
            }
        }

        Console.WriteLine(string.Join(Environment.NewLine, lines.Select(l => "    " + l)));
        var nodes = lines.Select(l => l.Trim().TrimStart('-', '>', ' '))
            .Where(l => l.Contains("(cost=", StringComparison.Ordinal))
            .Select(l => l[..l.IndexOf("  (cost=", StringComparison.Ordinal)].Replace(" on events e", "", StringComparison.Ordinal))
            .Select(l => l.Replace("Index Scan using ", "Index Scan ", StringComparison.Ordinal).Replace("Index Only Scan using ", "Index Only Scan ", StringComparison.Ordinal));
        var heap = lines.FirstOrDefault(l => l.Contains("Heap Fetches", StringComparison.Ordinal))?.Trim();
        var execution = lines.Single(l => l.StartsWith("Execution Time", StringComparison.Ordinal));
        return string.Join(" → ", nodes) + (heap is null ? "" : $" ({heap})") + $", {execution[(execution.IndexOf(':') + 2)..]}";
    }

    private static void ReportActivityPage(Report report, ActivityPageResult r)
    {
        report.Add($"activity page at {Count(r.LogRows)} rows",
            $"GET /api/users/{{id}}/events?page=1&page_size=20, {r.Requests} random players one after another: p50 {Stats.Ms(r.P50)} p99 {Stats.Ms(r.P99)}; " +
            $"the heaviest player ({r.HeaviestEvents} events) p50 {Stats.Ms(r.HeaviestP50)}; plans: count: {r.CountPlan}; page: {r.PagePlan}",
            $"p50 = {r.P50 / r.RawP50:F1}× its two SQL statements alone (p50 {Fine(r.RawP50)}, p99 {Fine(r.RawP99)}); target p50 and p99 < 50 ms");
    }

    /// <summary>
    /// <c>POST /api/admin/backtest</c> of a draft sign-in quest (streak 3, duplication 2) over [from, to):
    /// the contract's answer, and how long it took (seconds).
    /// </summary>
    private static async Task<double> BacktestAsync(
        HttpClient worker, Report report, double rawScan, DateTime from, DateTime to, string scenario, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var response = await worker.PostAsJsonAsync("/api/admin/backtest", new
        {
            quest = new { name = "bench backtest", streak = 3, duplication = 2, event_type = "sign_in", reward = new { item = "diamond", qty = 10 } },
            from = new DateTimeOffset(from, TimeSpan.Zero),
            to = new DateTimeOffset(to, TimeSpan.Zero),
        }, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var seconds = clock.Elapsed.TotalSeconds;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"POST /api/admin/backtest answered {(int)response.StatusCode}: {body}");
        }

        var answer = JsonSerializer.Deserialize<JsonElement>(body);
        var scanned = answer.GetProperty("events_scanned").GetInt64();
        report.Add(scenario,
            $"POST /api/admin/backtest (sign_in, streak 3, duplication 2, 10 diamond) from {from:yyyy-MM-dd HH:mm} to {to:yyyy-MM-dd HH:mm}: {seconds:F1} s; events_scanned {scanned}, " +
            $"players {answer.GetProperty("players")}, completions {answer.GetProperty("completions")}, reward_totals {answer.GetProperty("reward_totals").GetRawText()}, " +
            $"{answer.GetProperty("by_day").GetArrayLength()} days" +
            (answer.TryGetProperty("elapsed_ms", out var elapsed) ? $"; the worker's own elapsed_ms {elapsed}" : "") + "; target < 10 s",
            $"{Stats.Rate(scanned / seconds)} events scanned = {Stats.Ratio(scanned / seconds, rawScan)} of the raw full read (at the checkpoint)");
        return seconds;
    }

    /// <summary><c>POST /api/admin/progress/rebuild</c>, then <c>GET …/rebuild/{id}</c> until it is no longer running.</summary>
    private async Task RebuildAsync(HttpClient worker, Report report, double rawScan, CancellationToken cancellationToken)
    {
        var rows = await ScalarAsync("SELECT count(*) FROM events", cancellationToken);
        var clock = Stopwatch.StartNew();
        using var response = await worker.PostAsync("/api/admin/progress/rebuild", null, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"POST /api/admin/progress/rebuild answered {(int)response.StatusCode}: {body}");
        }

        var id = JsonSerializer.Deserialize<JsonElement>(body).GetProperty("rebuild_id").GetRawText().Trim('"');
        var status = await Poll.UntilAsync($"rebuild {id} to finish", async ct =>
        {
            using var poll = await worker.GetAsync($"/api/admin/progress/rebuild/{id}", ct);
            return JsonSerializer.Deserialize<JsonElement>(await poll.Content.ReadAsStringAsync(ct));
        }, s => s.TryGetProperty("status", out var st) && st.GetString() != "running", TimeSpan.FromMinutes(15), cancellationToken);
        var seconds = clock.Elapsed.TotalSeconds;
        var applied = status.GetProperty("events_applied").GetInt64();
        report.Add($"rebuild over {Count(rows)} events",
            $"POST /api/admin/progress/rebuild → {status.GetProperty("status").GetString()} after {seconds:F1} s (polled every 0.2 s); events_applied {applied}; answer {status.GetRawText()}",
            $"{Stats.Rate(applied / seconds)} events applied = {Stats.Ratio(applied / seconds, rawScan)} of the raw full read");
        if (status.GetProperty("status").GetString() != "completed")
        {
            report.Note($"rebuild {id} ended {status.GetProperty("status").GetString()}: {status.GetRawText()}");
        }
    }

    /// <summary>
    /// The plans (no ANALYZE: their shape is the point) of what the worker reads for a backtest of the window and
    /// for a rebuild, at the full size: whether time partitions would let either skip rows.
    /// </summary>
    private async Task ScanPlansAsync(Report report, DateTime from, DateTime to, double before, double after, CancellationToken cancellationToken)
    {
        // EventLogReader's statements, with the bench's values written in.
        const string Columns = "event_id, event_type, user_id, occurred_at, recorded_at, data::text, catalog_version";
        var backtest = await PlanAsync($$"""
            SELECT {{Columns}} FROM events
            WHERE (event_type = ANY('{UserSignIn,NewUserSignIn}') AND occurred_at >= '{{from:O}}' AND occurred_at < '{{to:O}}')
               OR event_type = 'TimeZoneChanged'
               OR (event_type = 'QuestCompleted' AND cardinality('{}'::uuid[]) > 0 AND (data->>'quest_id')::uuid = ANY('{}'::uuid[]))
            ORDER BY user_id
            """, cancellationToken);
        var rebuild = await PlanAsync($"SELECT {Columns} FROM events WHERE TRUE ORDER BY user_id", cancellationToken);
        report.Add("log scans at full size",
            $"backtest of the window: {backtest}; rebuild: {rebuild}",
            $"the same backtest took {after / before:F2}× as long on the larger log ({after:F1} s vs {before:F1} s)");
    }

    private async Task<string> PlanAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = host.ProcessingDb.CreateCommand("EXPLAIN " + sql);
        var lines = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                lines.Add(reader.GetString(0));
            }
        }

        Console.WriteLine(string.Join(Environment.NewLine, lines.Select(l => "    " + l)));
        return string.Join(" → ", lines.Select(l => l.Trim().TrimStart('-', '>', ' ')).Where(l => l.Contains("(cost=", StringComparison.Ordinal))
            .Select(l => l[..l.IndexOf("  (cost=", StringComparison.Ordinal)]));
    }

    private async Task<long> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = host.ProcessingDb.CreateCommand(sql);
        command.CommandTimeout = 900;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<string> TextAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = host.ProcessingDb.CreateCommand(sql);
        return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
