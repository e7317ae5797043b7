using System.Diagnostics;

namespace QuestAspire.Bench;

/// <summary>
/// <c>scripts/bench.sh --profile</c>: samples one Processing.Worker replica's thread stacks with
/// dotnet-trace (the repository's local tool) while the firehose runs (<c>--wallet --profile</c>:
/// Auth.Api's while the spends across players run), then prints the methods that were on the
/// stacks the longest, exclusive and inclusive.
/// </summary>
public sealed class Profiler(string outputDirectory, string service = "Processing.Worker")
{
    private Process? _collect;
    private string? _trace;

    public void Start(TimeSpan duration)
    {
        var pid = ProcessCpu.BusiestProcess(service);
        Directory.CreateDirectory(outputDirectory);
        _trace = Path.Combine(outputDirectory, $"{service.ToLowerInvariant().Replace('.', '-')}-{DateTime.UtcNow:yyyyMMdd-HHmmss}.nettrace");
        _collect = Process.Start(new ProcessStartInfo("dotnet",
            ["tool", "run", "dotnet-trace", "--", "collect", "-p", pid.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--profile", "dotnet-sampled-thread-time", "--duration", duration.ToString(@"dd\:hh\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture),
             "-o", _trace])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("dotnet-trace did not start");
        Console.WriteLine($"profiling {service} pid {pid} for {duration.TotalSeconds:F0} s into {_trace}");
    }

    public async Task ReportAsync(CancellationToken cancellationToken)
    {
        if (_collect is null || _trace is null)
        {
            return;
        }

        await _collect.WaitForExitAsync(cancellationToken);
        foreach (var mode in new[] { "", "--inclusive" })
        {
            var report = Process.Start(new ProcessStartInfo("dotnet",
                ["tool", "run", "dotnet-trace", "--", "report", _trace, "topN", "-n", "40", .. mode.Length > 0 ? new[] { mode } : []])
            {
                RedirectStandardOutput = true,
            })!;
            var text = await report.StandardOutput.ReadToEndAsync(cancellationToken);
            await report.WaitForExitAsync(cancellationToken);
            Console.WriteLine($"profile ({(mode.Length > 0 ? "inclusive" : "exclusive")} time, top 40):");
            Console.WriteLine(text);
        }
    }
}
