using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace QuestAspire.Bench;

/// <summary>One line of figures per scenario on the console, and the same rows as a markdown table.</summary>
public sealed class Report(BenchSettings settings, string command)
{
    private readonly List<(string Scenario, string Figures, string Ratios)> _rows = [];
    private readonly List<string> _notes = [];
    private readonly HashSet<string> _samplings = [];

    public bool CountsMatch { get; private set; } = true;

    public void Add(string scenario, string figures, string ratios)
    {
        _rows.Add((scenario, figures, ratios));
        Console.WriteLine($"{scenario}: {figures} | vs raw: {ratios}");
    }

    public void Note(string note)
    {
        _notes.Add(note);
        Console.WriteLine(note);
    }

    public void Sampling(string sampling) => _samplings.Add(sampling);

    public void Mismatch(string what)
    {
        CountsMatch = false;
        Note($"COUNT MISMATCH: {what}");
    }

    public async Task WriteMarkdownAsync(string path, CancellationToken cancellationToken)
    {
        var markdown = new StringBuilder()
            .AppendLine("# Benchmark figures")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Written by `{command}` ({settings.Name} run); every ratio is to a raw limit measured in the same run.")
            .AppendLine()
            .AppendLine("| | |")
            .AppendLine("| --- | --- |")
            .AppendLine(CultureInfo.InvariantCulture, $"| machine | {Environment.ProcessorCount} cores (`nproc`), {MemoryGiB():F1} GiB memory, {Environment.OSVersion}, .NET {Environment.Version} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| date | {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC |")
            .AppendLine(CultureInfo.InvariantCulture, $"| git commit | {await GitAsync(cancellationToken)} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| tracing | {string.Join("; ", _samplings)} |")
            .AppendLine("| services | Release build, local processes, dashboard on, 2 Processing.Worker replicas |")
            .AppendLine()
            .AppendLine("| scenario | figures | ratio to this run's raw limits |")
            .AppendLine("| --- | --- | --- |");
        foreach (var (scenario, figures, ratios) in _rows)
        {
            markdown.AppendLine(CultureInfo.InvariantCulture, $"| {scenario} | {figures.Replace("|", "/", StringComparison.Ordinal)} | {ratios.Replace("|", "/", StringComparison.Ordinal)} |");
        }

        if (_notes.Count > 0)
        {
            markdown.AppendLine();
            foreach (var note in _notes)
            {
                markdown.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
            }
        }

        markdown.AppendLine().Append(Legend);
        await File.WriteAllTextAsync(path, markdown.ToString(), cancellationToken);
        Console.WriteLine($"wrote {path}");
    }

    private const string Legend = """
        ## What each row measures

        - **raw limits**: no service code, on the servers this run's AppHost started, in a scratch database and a scratch quorum queue removed afterwards. Postgres: transactions of an insert plus an update of the connection's own counter row, committed one by one, from 1 and from 8 connections; event-shaped rows (uuid, text, uuid, timestamptz, timestamptz, jsonb, with the event log's index) inserted 1000 per `unnest` statement and transaction from one connection. RabbitMQ: persistent, mandatory publishes with publisher confirms (up to 500 in flight on one channel), then consumed with prefetch 1000 and acked in groups of 100. Password hash: Auth's PBKDF2 (HMAC-SHA512, 100,000 iterations) on every core.
        - **firehose**: N `UserSignIn` events for signed-up players published straight to `questaspire.events` as the outbox relay publishes them. events/s = N / (last `recorded_at` in processingdb.events − first publish); claims/s = claims / (last `created_at` in authdb.reward_claims − first publish): both from the rows' own timestamps (same host clock as the bench). Expected counts come from the quest rules applied to every active quest (the bench's streak-1 quest and the seeded `signin_three`); any difference fails the run.
        - **CPU per 1k events**: utime+stime (+ reaped children) from `/proc/<pid>/stat` of every process of this run (the bench process, which hosts the AppHost, and DCP with everything it started), by command line, over the firehose from the first publish until the last claim.
        - **open loop**: players sign in over HTTP (`POST /login/access-token`) on a fixed schedule (a 5 ms PeriodicTimer sends every sign-in that is due), without waiting for earlier answers. Sign-in latency is over the 200 answers; answered → claim is the claim row's `created_at` minus the moment the answer arrived, pairing a player's k-th accepted sign-in with its k-th claim of the step. A sign-in without an answer after 30 s counts as "no answer"; it may still be processed and add a claim, so when a step has many (more claims than accepted sign-ins), the pairing and its answered → claim figures are rough.
        - **overload**: three times the highest step that answered everything 200 with sign-in p99 under 500 ms (the lowest step if none did). Shed means 429 or 503 with Retry-After.
        - **wallet**: 32 clients each sending `POST /users/me/wallet/spend` (1 gold, its own `Idempotency-Key`) one after another for the step's duration, across the firehose's number of players (each given a float by an admin adjustment first) and then all on one player. Spends/s counts the 200 answers; afterwards the spend entries in the ledger must equal them and `GET /admin/wallets/verify` must find no balance the ledger does not explain, or the run fails. CPU per 1k spends is measured as for the firehose. Spends and adjustments are group-committed (docs/decisions/0013-wallet-group-commit.md), so the ratio to raw commits can pass 100%. The full run repeats it on the 10% sampling AppHost.
        - **telemetry cost**: the firehose again on a second fresh AppHost whose services get `OTEL_TRACES_SAMPLER=parentbased_traceidratio`, `OTEL_TRACES_SAMPLER_ARG=0.1`; its raw ratios use the first AppHost's raw limits.
        - **event log at scale** (full run only, last on the first AppHost; `scripts/bench.sh --scale [--scale-events N]` runs it alone after the raw limits): synthetic events written straight into processingdb.events by binary `COPY` (100k rows per `COPY`), 100,000 players drawn with weight 1/√rank (the heaviest gets about 0.3% of all events), 70% `UserSignIn` and 30% app events with a value, event `i` of the full size at `i`/size of 60 days ending now, random uuids as event ids; then `VACUUM (ANALYZE) events`, which autovacuum does to an insert-only table in time. First to 1M rows, then to the full size (10M) within a load budget. The raw full read is every column of the log read with Npgsql in `recorded_at` order, no service code: the yardstick for backtest and rebuild.
        - **activity page**: `GET {processing-worker}/api/users/{id}/events?page=1&page_size=20` with an admin token, for random players one after another (each player equally likely, so mostly light ones), and the heaviest player every tenth request; its two SQL statements (the `COUNT(*)` and the ordered page) timed alone on one connection, and their `EXPLAIN (ANALYZE, BUFFERS)` for a random and the heaviest player (whole plans on the console).
        - **backtest**: `POST /api/admin/backtest` of a draft sign-in quest (streak 3, duplication 2, 10 diamond) over the window holding the first 1M synthetic events, once at 1M rows and again at the full size: the same events, a larger log. **rebuild**: `POST /api/admin/progress/rebuild`, then its status polled every 0.2 s until it is no longer running, at 1M rows. **log scans**: `EXPLAIN` (no ANALYZE) of the worker's backtest and rebuild statements at the full size.
        - The machine is shared: compare runs by the ratios, not the absolute figures.

        """;

    private static double MemoryGiB()
    {
        var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0 / 1024.0;
    }

    private static async Task<string> GitAsync(CancellationToken cancellationToken)
    {
        var commit = await RunAsync("git", "rev-parse --short HEAD", cancellationToken);
        var dirty = await RunAsync("git", "status --porcelain --untracked-files=no", cancellationToken);
        return dirty.Length > 0 ? $"{commit} (with uncommitted changes)" : commit;
    }

    private static async Task<string> RunAsync(string file, string arguments, CancellationToken cancellationToken)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, UseShellExecute = false })
            ?? throw new InvalidOperationException($"{file} did not start.");
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        return output.Trim();
    }
}
