using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;

namespace QuestAspire.AppHost.Infrastructure;

/// <summary>
/// The per-user folder where local server processes keep their data between runs, and the
/// secrets they were initialised with (a Postgres cluster keeps the password it was created with).
/// </summary>
public sealed class LocalState
{
    public const string StateDirectoryKey = "LocalInfrastructure:StateDirectory";
    public const string BinarySearchPathKey = "LocalInfrastructure:BinarySearchPath";

    private LocalState(string root, IReadOnlyList<string>? binarySearchPath)
    {
        Root = root;
        BinarySearchPath = binarySearchPath;
    }

    public string Root { get; }

    /// <summary>Directories searched for server binaries instead of the defaults, when configured.</summary>
    public IReadOnlyList<string>? BinarySearchPath { get; }

    public static bool IsRoot => GetEffectiveUserId() == 0;

    public static LocalState FromConfiguration(IConfiguration configuration)
    {
        var root = configuration[StateDirectoryKey];
        if (string.IsNullOrWhiteSpace(root))
        {
            root = DefaultRoot();
        }

        var searchPath = configuration[BinarySearchPathKey]?
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        var state = new LocalState(Path.GetFullPath(root), searchPath);
        CreateDirectory(state.Root);
        return state;
    }

    /// <summary>
    /// Root's home is closed to other users, and Postgres runs as the postgres user, so root
    /// keeps its state under /var/lib; everyone else follows the XDG base directory convention.
    /// </summary>
    public static string DefaultRoot()
    {
        if (IsRoot)
        {
            return "/var/lib/questaspire";
        }

        var stateHome = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        if (string.IsNullOrWhiteSpace(stateHome))
        {
            stateHome = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        }

        return Path.Combine(stateHome, "questaspire");
    }

    public string GetDirectory(string name)
    {
        var path = Path.Combine(Root, name);
        CreateDirectory(path);
        return path;
    }

    /// <summary>Returns the secret stored under <paramref name="name"/>, generating it on first use.</summary>
    public string GetOrCreateSecret(string name)
    {
        var path = Path.Combine(GetDirectory("secrets"), name);
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        // Letters and digits only: the value goes into URIs and connection strings unescaped.
        var secret = RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 32);
        File.WriteAllText(path, secret);
        RestrictToOwner(path);
        return secret;
    }

    /// <summary>Makes a file or directory readable and writable by its owner alone.</summary>
    public static void RestrictToOwner(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            File.SetUnixFileMode(path, Directory.Exists(path) ? mode | UnixFileMode.UserExecute : mode);
        }
    }

    private static void CreateDirectory(string path)
    {
        Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
        {
            // Traversable by the postgres user, which must reach its data directory below this one.
            File.SetUnixFileMode(path,
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
                | UnixFileMode.OtherExecute);
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();
}
