using System.Diagnostics;
using QuestAspire.Bench;

// scripts/bench.sh [--smoke|--profile|--scale|--wallet [--profile]] runs this from the repository root; see docs/bench.md for what each line means.
var settings = args.Contains("--smoke") ? BenchSettings.Smoke
    : args.Contains("--wallet") ? BenchSettings.Wallet with { ProfileDuration = args.Contains("--profile") ? TimeSpan.FromSeconds(20) : null }
    : args.Contains("--profile") ? BenchSettings.Profile
    : args.Contains("--scale") ? BenchSettings.Scale
    : BenchSettings.Full;
if (args.SkipWhile(a => a != "--scale-events").Skip(1).FirstOrDefault() is { } scaleEvents)
{
    settings = settings with { ScaleEvents = long.Parse(scaleEvents, System.Globalization.CultureInfo.InvariantCulture) };
}

var markdownPath = args.SkipWhile(a => a != "--markdown").Skip(1).FirstOrDefault();
using var cancellation = new CancellationTokenSource(settings.RunTimeout);
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

var report = new Report(settings, "scripts/bench.sh" + (settings == BenchSettings.Full ? "" : $" --{settings.Name}"));
var clock = Stopwatch.StartNew();
try
{
    await Scenarios.RunAsync(settings, report, cancellation.Token);
    if (markdownPath is not null)
    {
        await report.WriteMarkdownAsync(markdownPath, cancellation.Token);
    }
}
catch (Exception e)
{
    Console.Error.WriteLine($"bench failed after {clock.Elapsed.TotalSeconds:F0} s: {e}");
    return 2;
}

Console.WriteLine($"bench ({settings.Name}) finished in {clock.Elapsed.TotalSeconds:F0} s: " + (report.CountsMatch ? "counts exact" : "COUNT MISMATCH"));
return report.CountsMatch ? 0 : 1;
