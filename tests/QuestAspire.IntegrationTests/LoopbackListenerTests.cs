using System.Globalization;
using System.Net;

namespace QuestAspire.IntegrationTests;

/// <summary>
/// Every TCP socket listened on by a process the AppHost started in local mode (the servers, their
/// helpers and children, the .NET services) is on loopback: read from <c>/proc/net/tcp</c> and
/// <c>tcp6</c>, matched to the processes by socket inode through <c>/proc/&lt;pid&gt;/fd</c>.
/// </summary>
public sealed class LoopbackListenerTests(AppFixture fixture, ITestOutputHelper output)
{
    private const string ListenState = "0A";

    [Fact]
    public async Task EveryListeningSocket_OfEveryProcessTheAppHostStarted_IsOnLoopback()
    {
        var processes = StartedProcesses(await RunMarkersAsync());
        var listeners = ListeningSockets();
        var seen = new List<(string Process, IPEndPoint Endpoint)>();
        foreach (var (pid, name) in processes)
        {
            foreach (var inode in SocketInodes(pid))
            {
                if (listeners.TryGetValue(inode, out var endpoint))
                {
                    seen.Add(($"{name}[{pid}]", endpoint));
                }
            }
        }

        output.WriteLine($"{processes.Count} processes ({Describe(processes)}), {seen.Count} listening sockets:");
        foreach (var (process, endpoint) in seen.OrderBy(s => s.Process, StringComparer.Ordinal))
        {
            output.WriteLine($"  {process} {endpoint}");
        }

        // The search must have found every server and every service, each listening, or it proves nothing.
        string[] expected =
        [
            "postgres", "beam.smp", "epmd", "redis-server",
            ResourceNames.AuthApi, ResourceNames.CatalogApi, ResourceNames.ProcessingWorker, ResourceNames.Web,
        ];
        foreach (var name in expected)
        {
            Assert.True(seen.Any(s => s.Process.StartsWith(name + "[", StringComparison.Ordinal) || s.Process.Contains($"({name})", StringComparison.Ordinal)),
                $"{name} was not found listening; processes: {Describe(processes)}; sockets: {string.Join("; ", seen)}");
        }

        var offLoopback = seen.Where(s => !IPAddress.IsLoopback(s.Endpoint.Address)).ToList();
        Assert.True(offLoopback.Count == 0, $"listening off loopback: {string.Join("; ", offLoopback)}");
    }

    /// <summary>
    /// The processes of this run: each resource's process (its <c>executable.pid</c>, every
    /// replica's), the servers running in this run's state folder, and all their descendants.
    /// </summary>
    // Environment entries only this run's processes carry: its connection strings (its servers
    // listen on ports of its own) and its dashboard's OTLP address (a free port).
    private async Task<HashSet<string>> RunMarkersAsync()
    {
        var markers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in new[] { ResourceNames.AuthDb, ResourceNames.CatalogDb, ResourceNames.ProcessingDb, ResourceNames.RabbitMQ, ResourceNames.Redis })
        {
            var connectionString = await fixture.App.GetConnectionStringAsync(name, TestContext.Current.CancellationToken).AsTask().WaitAsync(QuestApiClient.RequestTimeout, TestContext.Current.CancellationToken);
            Assert.False(string.IsNullOrEmpty(connectionString), $"{name} has no connection string");
            markers.Add($"ConnectionStrings__{name}={connectionString}");
        }

        return markers;
    }

    private bool IsThisRunsOtlpEndpoint(string variable) =>
        variable.StartsWith("OTEL_EXPORTER_OTLP_ENDPOINT=", StringComparison.Ordinal)
        && variable.TrimEnd('/').EndsWith($":{fixture.DashboardOtlpUrl.Port}", StringComparison.Ordinal);

    private Dictionary<int, string> StartedProcesses(HashSet<string> markers)
    {
        var notifications = fixture.App.Services.GetRequiredService<ResourceNotificationService>();
        var roots = new HashSet<int>();
        foreach (var resource in fixture.App.Services.GetRequiredService<DistributedApplicationModel>().Resources)
        {
            if (notifications.TryGetCurrentState(resource.Name, out var state)
                && state.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } value
                && int.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), out var pid))
            {
                roots.Add(pid);
            }
        }

        var parents = new Dictionary<int, int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && Read(Path.Combine(directory, "stat")) is { } stat)
            {
                // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
                parents[pid] = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
                var cwd = Link(Path.Combine(directory, "cwd"));
                if ((cwd is not null && cwd.StartsWith(fixture.StateDirectory, StringComparison.Ordinal))
                    || Read(Path.Combine(directory, "environ"))?.Split('\0').Any(v => markers.Contains(v) || IsThisRunsOtlpEndpoint(v)) == true)
                {
                    roots.Add(pid);
                }
            }
        }

        var found = new HashSet<int>(roots.Where(parents.ContainsKey));
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var (pid, parent) in parents)
            {
                if (found.Contains(parent) && found.Add(pid))
                {
                    grew = true;
                }
            }
        }

        // The services are named by their OpenTelemetry service name (their process may be "dotnet").
        return found.ToDictionary(pid => pid, pid =>
        {
            var comm = Read($"/proc/{pid}/comm")?.Trim() ?? "?";
            var service = Read($"/proc/{pid}/environ")?.Split('\0').FirstOrDefault(v => v.StartsWith("OTEL_SERVICE_NAME=", StringComparison.Ordinal));
            return service is null ? comm : $"{comm}({service["OTEL_SERVICE_NAME=".Length..]})";
        });
    }

    // Listening sockets by inode, from both tables.
    private static Dictionary<string, IPEndPoint> ListeningSockets()
    {
        var sockets = new Dictionary<string, IPEndPoint>(StringComparer.Ordinal);
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 9 && fields[3] == ListenState)
                {
                    sockets[fields[9]] = ParseEndpoint(fields[1]);
                }
            }
        }

        return sockets;
    }

    // "0100007F:1F90" (IPv4) or 32 hex digits (IPv6), each 32-bit word in host (little-endian) order.
    private static IPEndPoint ParseEndpoint(string text)
    {
        var (address, port) = (text[..text.IndexOf(':', StringComparison.Ordinal)], int.Parse(text[(text.IndexOf(':', StringComparison.Ordinal) + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        var bytes = Convert.FromHexString(address);
        for (var word = 0; word < bytes.Length; word += 4)
        {
            Array.Reverse(bytes, word, 4);
        }

        var ip = new IPAddress(bytes);
        return new IPEndPoint(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip, port);
    }

    private static IEnumerable<string> SocketInodes(int pid)
    {
        string[] descriptors;
        try
        {
            descriptors = Directory.GetFiles($"/proc/{pid}/fd");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            yield break; // ended while we looked
        }

        foreach (var descriptor in descriptors)
        {
            if (Link(descriptor) is { } target && target.StartsWith("socket:[", StringComparison.Ordinal))
            {
                yield return target["socket:[".Length..^1];
            }
        }
    }

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? Link(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string Describe(Dictionary<int, string> processes) =>
        string.Join(", ", processes.OrderBy(p => p.Key).Select(p => $"{p.Value}[{p.Key}]"));
}
