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

        await File.WriteAllTextAsync(path, markdown.ToString(), cancellationToken);
        Console.WriteLine($"wrote {path}");
    }

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
