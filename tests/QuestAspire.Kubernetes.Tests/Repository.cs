using System.Reflection;
using QuestAspire.AppHost.Kubernetes;

namespace QuestAspire.Kubernetes.Tests;

/// <summary>The repository the tests were built from, and its AppHost.</summary>
public static class Repository
{
    public static readonly TimeSpan AppHostTimeout = TimeSpan.FromMinutes(2);

    public static string Root { get; } = Metadata("RepositoryRoot");

    /// <summary>The committed manifests.</summary>
    public static string K8sDirectory => Path.Combine(Root, "k8s");

    public static string ValidatorDirectory => Path.Combine(Root, "tests", "QuestAspire.Kubernetes.Tests", "validator");

    /// <summary>The folders the generator owns below k8s/; the rest of k8s/ (an overlay of your own) is not compared.</summary>
    public static string[] GeneratedFolders => ["base", Path.Combine("overlays", "dev")];

    /// <summary>
    /// Runs one publish step of the AppHost, the way docs/kubernetes.md does, with the build the
    /// tests were compiled against.
    /// </summary>
    public static async Task PublishAsync(string step, string outputPath, string expectedFile)
    {
        var result = await ExternalTool.RunAsync(
            "dotnet",
            [
                "run", "--project", Path.Combine(Root, "QuestAspire.AppHost"), "--no-build", "--configuration", Metadata("Configuration"),
                "--", "--operation", "publish", "--step", step, "--output-path", outputPath,
            ],
            Root,
            AppHostTimeout);
        // The AppHost exits with 0 even when a step fails or does not exist, so look at what it wrote.
        Assert.True(
            result.ExitCode == 0 && File.Exists(Path.Combine(outputPath, expectedFile)),
            $"The AppHost's '{step}' step did not write {expectedFile}: {result}");
    }

    public static Task PublishKubernetesAsync(string outputPath) =>
        PublishAsync(KubernetesPublishingExtensions.StepName, outputPath, Path.Combine("overlays", "dev", "kustomization.yaml"));

    /// <summary>The files of the generated folders below a k8s directory, relative to it.</summary>
    public static IReadOnlyList<string> GeneratedFiles(string directory) =>
    [
        .. GeneratedFolders
            .Select(folder => Path.Combine(directory, folder))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            .Select(file => Path.GetRelativePath(directory, file))
            .Order(StringComparer.Ordinal),
    ];

    private static string Metadata(string key) =>
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(attribute => attribute.Key == key).Value
        ?? throw new InvalidOperationException($"The test assembly has no '{key}' metadata.");
}
