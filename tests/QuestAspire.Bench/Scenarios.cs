using System.Diagnostics;

namespace QuestAspire.Bench;

/// <summary>
/// The run: one AppHost with tracing as shipped (raw limits, firehose, open loop, overload and, in the
/// full run, the event log at scale), then, in the full run, a second fresh AppHost with 10% head
/// sampling for the firehose again.
/// </summary>
public static class Scenarios
{
    private const string ProcessingWorkerCommand = "Processing.Worker";

    public static async Task RunAsync(BenchSettings settings, Report report, CancellationToken cancellationToken)
    {
        RawLimitsResult raw;
        FirehoseResult? shipped = null;
        await using (var host = await StartAsync(sampled: false, report, cancellationToken))
        {
            raw = await new RawLimits(host, settings).MeasureAsync(cancellationToken);
            report.Add("raw limits", raw.Line["raw limits: ".Length..], "(the limits themselves)");
            if (settings.ScaleOnly)
            {
                await EventLogAtScaleAsync(host, settings, report, raw, cancellationToken);
                return;
            }

            if (settings.WalletOnly)
            {
                await WalletOnlyAsync(host, settings, report, raw, cancellationToken);
            }
            else
            {
                shipped = await AsShippedAsync(host, settings, report, raw, cancellationToken);
            }
        }

        if (settings.WalletOnly)
        {
            await using var host = await StartAsync(sampled: true, report, cancellationToken);
            await WalletOnlyAsync(host, settings, report, raw, cancellationToken);
            return;
        }

        if (settings.SampledRepeat && shipped is not null)
        {
            await using var host = await StartAsync(sampled: true, report, cancellationToken);
            await using var session = await Session.SetUpAsync(host, settings, openLoop: false, cancellationToken);
            var sampled = await FirehoseAsync(host, session, settings, raw, report, cancellationToken);
            await WalletAsync(host, session.Api, settings, report, raw, cancellationToken);
            var dashboardShipped = shipped.CpuSeconds.GetValueOrDefault("dashboard") / (shipped.Events / 1000.0);
            var dashboardSampled = sampled.CpuSeconds.GetValueOrDefault("dashboard") / (sampled.Events / 1000.0);
            report.Add("telemetry cost",
                $"events/s {Stats.Rate(shipped.EventsPerSecond)} as shipped vs {Stats.Rate(sampled.EventsPerSecond)} at 10% sampling; " +
                $"claims/s {Stats.Rate(shipped.ClaimsPerSecond)} vs {Stats.Rate(sampled.ClaimsPerSecond)}; " +
                $"dashboard CPU {dashboardShipped:F2} vs {dashboardSampled:F2} s/1k events; " +
                $"all processes {Total(shipped) / (shipped.Events / 1000.0):F2} vs {Total(sampled) / (sampled.Events / 1000.0):F2} s/1k events",
                $"sampled events/s = {Stats.Ratio(sampled.EventsPerSecond, shipped.EventsPerSecond)} of as shipped; " +
                $"sampled = {Stats.Ratio(sampled.EventsPerSecond, raw.InsertRowsPerSecond)} of raw insert (raw from the first AppHost)");
        }
    }

    // The first AppHost, tracing as shipped: firehose, open loop, overload, wallet and, in the full run, the event log at scale.
    private static async Task<FirehoseResult> AsShippedAsync(BenchHost host, BenchSettings settings, Report report, RawLimitsResult raw, CancellationToken cancellationToken)
    {
        await using var session = await Session.SetUpAsync(host, settings, openLoop: true, cancellationToken);
        var shipped = await FirehoseAsync(host, session, settings, raw, report, cancellationToken);

        var openLoop = new OpenLoop(host, session.Api, settings);
        var steps = new List<OpenLoopResult>();
        foreach (var rate in settings.Rates)
        {
            var step = await openLoop.RunAsync($"open loop {rate}/s", session.OpenLoopPlayers, session.Quest, rate, settings.StepDuration, cancellationToken);
            steps.Add(step);
            ReportStep(report, step, raw);
        }

        if (settings.OverloadDuration is { } overloadDuration)
        {
            // Sustainable: the highest step answered all 200 with sign-in p99 under the design's 500 ms; else the lowest step.
            var sustainable = steps.Where(s => s.Accepted == s.Sent && s.SignInP99 < 0.5).Select(s => s.Rate).DefaultIfEmpty(settings.Rates.Min()).Max();
            var overload = await openLoop.RunAsync($"overload {3 * sustainable}/s", session.OpenLoopPlayers, session.Quest,
                3 * sustainable, overloadDuration, cancellationToken);
            ReportOverload(report, overload, sustainable, raw);
        }

        await WalletAsync(host, session.Api, settings, report, raw, cancellationToken);

        // Last on this AppHost: the millions of rows it loads would change what the scenarios before it measure.
        if (settings.ScaleEvents > 0)
        {
            await EventLogAtScaleAsync(host, settings, report, raw, cancellationToken);
        }

        return shipped;
    }

    private static async Task EventLogAtScaleAsync(BenchHost host, BenchSettings settings, Report report, RawLimitsResult raw, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var signingKey = await TestTokens.GetSigningKeyAsync(host.App, cancellationToken);
        var admin = TestTokens.Create(signingKey, TestTokens.AdminRole, lifetime: settings.RunTimeout, userName: "bench-admin");
        await new EventLogScale(host, settings, admin).RunAsync(report, raw, cancellationToken);
        Console.WriteLine($"event log at scale took {clock.Elapsed.TotalSeconds:F0} s");
    }

    private static async Task WalletOnlyAsync(BenchHost host, BenchSettings settings, Report report, RawLimitsResult raw, CancellationToken cancellationToken)
    {
        var signingKey = await TestTokens.GetSigningKeyAsync(host.App, cancellationToken);
        using var api = new BenchApi(host.AuthUrl, host.CatalogUrl, TestTokens.Create(signingKey, TestTokens.AdminRole, lifetime: settings.RunTimeout, userName: "bench-admin"));
        await WalletAsync(host, api, settings, report, raw, cancellationToken);
    }

    private static async Task WalletAsync(BenchHost host, BenchApi api, BenchSettings settings, Report report, RawLimitsResult raw, CancellationToken cancellationToken)
    {
        var signingKey = await TestTokens.GetSigningKeyAsync(host.App, cancellationToken);
        var admin = TestTokens.Create(signingKey, TestTokens.AdminRole, lifetime: settings.RunTimeout, userName: "bench-admin");
        foreach (var result in await new WalletScenario(host, api, settings, admin).RunAsync(cancellationToken))
        {
            var tracing = host.Sampling == BenchHost.SampledDescription ? "10% sampling" : "as shipped";
            report.Add($"{result.Name} ({tracing})",
                $"{Stats.Rate(result.SpendsPerSecond)} spends (ledger writes) over {result.Players} player(s), 32 clients, each with an Idempotency-Key; " +
                $"{result.Spends} answered 200, {result.Refused} not; p99 {Stats.Ms(result.P99Seconds)}; the ledger explains every balance; " +
                $"CPU per 1k spends: {result.CpuPerThousand}",
                $"spends/s = {Stats.Ratio(result.SpendsPerSecond, raw.Commits8PerSecond)} of raw commits (8 conns), " +
                $"{Stats.Ratio(result.SpendsPerSecond, raw.Commits1PerSecond)} of raw commits (1 conn)");
        }
    }

    private static async Task<BenchHost> StartAsync(bool sampled, Report report, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var host = await BenchHost.StartAsync(sampled, cancellationToken);
        report.Sampling(host.Sampling);
        Console.WriteLine($"AppHost healthy after {clock.Elapsed.TotalSeconds:F0} s (state {host.StateDirectory}); " +
            $"tracing {host.Sampling}; OTEL_TRACES_SAMPLER seen by {ProcessingWorkerCommand}: {BenchHost.SamplerSeenBy(ProcessingWorkerCommand)}");
        return host;
    }

    private static async Task<FirehoseResult> FirehoseAsync(
        BenchHost host, Session session, BenchSettings settings, RawLimitsResult raw, Report report, CancellationToken cancellationToken)
    {
        var result = await new Firehose(host, settings).RunAsync(session.FirehosePlayers, session.ActiveQuests, cancellationToken);
        var tracing = host.Sampling == BenchHost.SampledDescription ? "10% sampling" : "as shipped";
        report.Add($"firehose ({tracing})",
            $"{result.Events} events: {Stats.Rate(result.EventsPerSecond)} logged, {Stats.Rate(result.ClaimsPerSecond)} claims stored " +
            $"({result.Claims} claims; rates from the first publish to the last row's recorded_at / created_at); " +
            $"published in {result.PublishSeconds:F1} s ({Stats.Rate(result.Events / result.PublishSeconds)}); all stored after {result.WallSeconds:F1} s wall; counts: {result.Counts}",
            $"events/s = {Stats.Ratio(result.EventsPerSecond, raw.InsertRowsPerSecond)} of raw batched insert; " +
            $"claims/s = {Stats.Ratio(result.ClaimsPerSecond, raw.InsertRowsPerSecond)} of raw batched insert, {Stats.Ratio(result.ClaimsPerSecond, raw.Commits8PerSecond)} of raw commits (8 conns); " +
            $"publish = {Stats.Ratio(result.Events / result.PublishSeconds, raw.PublishesPerSecond)} of raw publish");
        if (!result.CountsMatch)
        {
            report.Mismatch($"firehose ({tracing}): {result.Counts}");
        }

        var perThousand = result.Events / 1000.0;
        report.Add($"CPU per 1k events ({tracing})",
            string.Join(", ", result.CpuSeconds.Where(c => c.Value > 0).OrderByDescending(c => c.Value).Select(c => $"{c.Key} {c.Value / perThousand:F2} s")) +
            $"; total {Total(result) / perThousand:F2} s (utime+stime from /proc over {result.WallSeconds:F1} s)",
            $"whole machine busy {Stats.Ratio(Total(result), result.WallSeconds * Environment.ProcessorCount)} of {Environment.ProcessorCount} cores during the firehose");
        return result;
    }

    private static double Total(FirehoseResult result) => result.CpuSeconds.Values.Sum();

    private static void ReportStep(Report report, OpenLoopResult step, RawLimitsResult raw)
    {
        report.Add(step.Name,
            $"{step.Sent} sign-ins in {step.SendSeconds:F1} s over {step.Name[(step.Name.LastIndexOf(' ') + 1)..]}; sign-in p50 {Stats.Ms(step.SignInP50)} p99 {Stats.Ms(step.SignInP99)}; " +
            $"answered → claim stored p50 {Stats.Ms(step.ClaimP50)} p99 {Stats.Ms(step.ClaimP99)} ({step.ClaimsSeen}/{step.ClaimsExpected} claims); non-200: {step.NonOk}",
            $"rate = {Stats.Ratio(step.Rate, raw.HashesPerSecond)} of raw password hashes/s; sign-in p50 = {step.SignInP50 / raw.HashSeconds:F1}× one raw hash; " +
            $"claim p99 = {step.ClaimP99 * raw.Commits1PerSecond:F0}× one raw commit (1 conn)");
        if (!step.ClaimsAccountedFor)
        {
            report.Mismatch($"{step.Name}: {step.ClaimsSeen} claims stored for {step.ClaimsExpected} accepted sign-ins and {step.Statuses.GetValueOrDefault(0)} unanswered");
        }
    }

    private static void ReportOverload(Report report, OpenLoopResult step, double sustainable, RawLimitsResult raw)
    {
        report.Add(step.Name,
            $"3× the sustainable {sustainable}/s for {step.SendSeconds:F0} s: {step.Sent} sign-ins; shed (429/503 + Retry-After) {Stats.Ratio(step.Shed, step.Sent)} " +
            $"({step.Shed}), shed answer p50 {Stats.Ms(step.ShedP50)} p99 {Stats.Ms(step.ShedP99)}; accepted {step.Accepted}, p50 {Stats.Ms(step.SignInP50)} p99 {Stats.Ms(step.SignInP99)}; " +
            $"429/503 without Retry-After: {step.RejectedWithoutRetryAfter}; non-200: {step.NonOk}; answered → claim p99 {Stats.Ms(step.ClaimP99)} ({step.ClaimsSeen}/{step.ClaimsExpected} claims)",
            $"rate = {Stats.Ratio(step.Rate, raw.HashesPerSecond)} of raw password hashes/s; accepted p99 = {step.SignInP99 / raw.HashSeconds:F1}× one raw hash");
        if (!step.ClaimsAccountedFor)
        {
            report.Mismatch($"{step.Name}: {step.ClaimsSeen} claims stored for {step.ClaimsExpected} accepted sign-ins and {step.Statuses.GetValueOrDefault(0)} unanswered");
        }
    }
}
