namespace QuestAspire.Kubernetes.Tests;

/// <summary>
/// The schema validator: validator/validate.mjs, which checks objects with the npm package
/// kubernetes-models (generated from the official Kubernetes OpenAPI schema), so the manifests
/// are judged by something other than the C# models that wrote them.
/// </summary>
public static class Validator
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ValidateTimeout = TimeSpan.FromMinutes(2);
    private static readonly Lazy<Task> Installation = new(InstallAsync);

    /// <summary>Validates YAML files, or with <paramref name="yaml"/> the YAML given on standard input.</summary>
    public static async Task<ExternalTool.Result> ValidateAsync(IEnumerable<string> files, string? yaml = null)
    {
        await Installation.Value;
        return await ExternalTool.RunAsync("node", ["validate.mjs", .. yaml is null ? files : ["-"]], Repository.ValidatorDirectory, ValidateTimeout, yaml);
    }

    // Installs the pinned packages (package-lock.json) the first time; node_modules is not committed.
    private static async Task InstallAsync()
    {
        var version = await ExternalTool.RunAsync("node", ["--version"], Repository.ValidatorDirectory, ValidateTimeout);
        Assert.True(
            version.ExitCode == 0 && int.TryParse(version.Output.Trim().TrimStart('v').Split('.')[0], out var major) && major >= 18,
            $"The validator needs Node.js 18 or later: {version}");

        if (!File.Exists(Path.Combine(Repository.ValidatorDirectory, "node_modules", "kubernetes-models", "package.json")))
        {
            var install = await ExternalTool.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], Repository.ValidatorDirectory, InstallTimeout);
            Assert.True(install.ExitCode == 0, $"Installing the validator's npm packages failed (the npm registry must be reachable): {install}");
        }
    }
}
