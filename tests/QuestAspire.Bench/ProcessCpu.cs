using System.Globalization;

namespace QuestAspire.Bench;

/// <summary>
/// CPU time (utime + stime from <c>/proc/&lt;pid&gt;/stat</c>) of every process this run started,
/// by component: this process (the load and the AppHost), and the orchestrator DCP, which detaches
/// from it (its parent is init) but names it with <c>--monitor &lt;pid&gt;</c>, with everything
/// it started. Children that already exited count through their parent's cutime/cstime.
/// </summary>
public static class ProcessCpu
{
    // /proc reports clock ticks of USER_HZ, which is 100 on Linux x86-64 and arm64.
    private const double TicksPerSecond = 100;

    public static IReadOnlyDictionary<string, double> Snapshot()
    {
        var seconds = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var process in RunProcesses(includeSelf: true))
        {
            var component = process.Pid == Environment.ProcessId ? "bench (load + AppHost)" : Classify(process.CommandLine);
            seconds[component] = seconds.GetValueOrDefault(component) + process.Ticks / TicksPerSecond;
        }

        return seconds;
    }

    public static IReadOnlyDictionary<string, double> Delta(IReadOnlyDictionary<string, double> before, IReadOnlyDictionary<string, double> after) =>
        after.ToDictionary(a => a.Key, a => a.Value - before.GetValueOrDefault(a.Key));

    /// <summary>The processes this run started (not this one), as "pid: command line".</summary>
    public static IReadOnlyDictionary<int, string> ProcessesOfThisRun() =>
        RunProcesses(includeSelf: false).ToDictionary(p => p.Pid, p => p.CommandLine);

    /// <summary>Of this run's processes whose command line contains <paramref name="commandLinePart"/>, the one that used the most CPU (the service, not its launcher).</summary>
    public static int BusiestProcess(string commandLinePart) =>
        RunProcesses(includeSelf: false)
            .Where(p => p.CommandLine.Contains(commandLinePart, StringComparison.Ordinal))
            .MaxBy(p => p.Ticks)?.Pid
        ?? throw new InvalidOperationException($"No process of this run runs {commandLinePart}.");

    public static bool IsRunning(int pid) => Directory.Exists($"/proc/{pid}");

    /// <summary>A variable of the first process of this run whose command line contains <paramref name="commandLinePart"/>.</summary>
    public static string? EnvironmentOf(string commandLinePart, string variable)
    {
        foreach (var process in RunProcesses(includeSelf: false).Where(p => p.CommandLine.Contains(commandLinePart, StringComparison.Ordinal)))
        {
            var environment = Read($"/proc/{process.Pid}/environ");
            var entry = environment?.Split('\0').FirstOrDefault(e => e.StartsWith(variable + "=", StringComparison.Ordinal));
            if (entry is not null)
            {
                return entry[(variable.Length + 1)..];
            }
        }

        return null;
    }

    private static string Classify(string commandLine) => commandLine switch
    {
        _ when commandLine.Contains("Aspire.Dashboard", StringComparison.Ordinal) => "dashboard",
        _ when commandLine.Contains("Auth.Api", StringComparison.Ordinal) => ResourceNames.AuthApi,
        _ when commandLine.Contains("Catalog.Api", StringComparison.Ordinal) => ResourceNames.CatalogApi,
        _ when commandLine.Contains("Processing.Worker", StringComparison.Ordinal) => ResourceNames.ProcessingWorker + " (2 replicas)",
        _ when commandLine.Contains("/Web", StringComparison.Ordinal) => ResourceNames.Web,
        _ when commandLine.Contains("postgres", StringComparison.Ordinal) => ResourceNames.Postgres,
        _ when commandLine.Contains("beam.smp", StringComparison.Ordinal) || commandLine.Contains("erl_child_setup", StringComparison.Ordinal)
            || commandLine.Contains("epmd", StringComparison.Ordinal) || commandLine.Contains("inet_gethost", StringComparison.Ordinal)
            || commandLine.Contains("rabbitmq", StringComparison.Ordinal) => ResourceNames.RabbitMQ,
        _ when commandLine.Contains("redis-server", StringComparison.Ordinal) => ResourceNames.Redis,
        _ when commandLine.Contains("dcp", StringComparison.Ordinal) => "dcp (orchestrator)",
        _ => "other",
    };

    private sealed record ProcessStat(int Pid, int ParentPid, long Ticks, string CommandLine);

    private static List<ProcessStat> RunProcesses(bool includeSelf)
    {
        var self = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var all = new List<ProcessStat>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && ReadStat(pid) is { } stat)
            {
                all.Add(stat);
            }
        }

        var children = all.ToLookup(p => p.ParentPid);
        var orchestrators = all.Where(p => p.CommandLine.Contains("dcp", StringComparison.Ordinal)
            && p.CommandLine.Split(' ').Zip(p.CommandLine.Split(' ').Skip(1)).Any(pair => pair is ("--monitor", var monitored) && monitored == self)).ToList();
        var found = new List<ProcessStat>(orchestrators);
        var pending = new Stack<int>([Environment.ProcessId, .. orchestrators.Select(o => o.Pid)]);
        while (pending.Count > 0)
        {
            foreach (var child in children[pending.Pop()])
            {
                found.Add(child);
                pending.Push(child.Pid);
            }
        }

        if (includeSelf && all.FirstOrDefault(p => p.Pid == Environment.ProcessId) is { } bench)
        {
            found.Add(bench);
        }

        return found;
    }

    private static ProcessStat? ReadStat(int pid)
    {
        var stat = Read($"/proc/{pid}/stat");
        if (stat is null)
        {
            return null;
        }

        // "pid (comm) state ppid ...": comm may hold spaces, so count fields from the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = fields[11..15].Sum(f => long.Parse(f, CultureInfo.InvariantCulture)); // utime, stime, cutime, cstime
        var commandLine = Read($"/proc/{pid}/cmdline")?.Replace('\0', ' ').Trim() ?? "";
        return new ProcessStat(pid, int.Parse(fields[1], CultureInfo.InvariantCulture), ticks, commandLine.Length > 0 ? commandLine : stat[..(stat.LastIndexOf(')') + 1)]);
    }

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // the process ended while we looked
        }
    }
}
