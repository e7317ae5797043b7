namespace QuestAspire.AppHost.Infrastructure;

/// <summary>Finds an installed server binary, or fails naming the Debian package that provides it.</summary>
public static class LocalServerBinary
{
    public static string Find(LocalState state, string fileName, string debianPackage, params string[] defaultDirectories)
    {
        var directories = state.BinarySearchPath
            ?? [.. defaultDirectories.SelectMany(ExpandWildcard), .. (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)];

        foreach (var directory in directories.Where(d => d.Length > 0))
        {
            var candidate = Path.Combine(directory, fileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DistributedApplicationException(
            $"'{fileName}' was not found (looked in {string.Join(", ", directories)}). " +
            $"Install the Debian package '{debianPackage}' (sudo apt-get install -y {debianPackage}), " +
            $"or run with a container runtime and {InfrastructureModeExtensions.ConfigurationKey}={InfrastructureMode.Containers}.");
    }

    // "/usr/lib/postgresql/*/bin" picks the newest installed major version first.
    private static IEnumerable<string> ExpandWildcard(string pattern)
    {
        var star = pattern.IndexOf('*', StringComparison.Ordinal);
        if (star < 0)
        {
            return [pattern];
        }

        var parent = pattern[..star].TrimEnd('/');
        var rest = pattern[(star + 1)..].TrimStart('/');
        if (!Directory.Exists(parent))
        {
            return [];
        }

        return Directory.GetDirectories(parent)
            .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var version) ? version : 0)
            .Select(d => Path.Combine(d, rest));
    }
}
