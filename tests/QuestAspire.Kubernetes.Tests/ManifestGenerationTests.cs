using QuestAspire.AppHost.Kubernetes;

namespace QuestAspire.Kubernetes.Tests;

public sealed class ManifestGenerationTests(GeneratedManifests generated)
{
    private static readonly string RegenerateCommand =
        $"dotnet run --project QuestAspire.AppHost -- --operation publish --step {KubernetesPublishingExtensions.StepName} --output-path ../k8s";

    [Fact]
    public void Generate_FromTheAppHost_GivesExactlyTheCommittedK8sFolder()
    {
        var problems = Compare(expectedDirectory: Repository.K8sDirectory, actualDirectory: generated.OutputDirectory);

        Assert.True(problems.Count == 0, $"k8s/ is stale; regenerate it with\n  {RegenerateCommand}\n{string.Join("\n", problems)}");
    }

    [Fact]
    public async Task Generate_AgainOverAStaleManifest_WritesTheSameBytesAndDropsTheStaleFile()
    {
        var output = Directory.CreateTempSubdirectory("questaspire-k8s-again-").FullName;
        try
        {
            var stale = Path.Combine(output, "base", "removed-resource.yaml");
            Directory.CreateDirectory(Path.GetDirectoryName(stale)!);
            await File.WriteAllTextAsync(stale, "# a resource the AppHost no longer has\n", TestContext.Current.CancellationToken);

            await Repository.PublishKubernetesAsync(output);

            Assert.False(File.Exists(stale), "A manifest of a resource that is gone survived regeneration.");
            var problems = Compare(expectedDirectory: generated.OutputDirectory, actualDirectory: output);
            Assert.True(problems.Count == 0, $"Two generations differ:\n{string.Join("\n", problems)}");
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static List<string> Compare(string expectedDirectory, string actualDirectory)
    {
        var expected = Repository.GeneratedFiles(expectedDirectory);
        var actual = Repository.GeneratedFiles(actualDirectory);
        var problems = new List<string>();
        problems.AddRange(actual.Except(expected).Select(file => $"{file}: generated, but not in {expectedDirectory}"));
        problems.AddRange(expected.Except(actual).Select(file => $"{file}: in {expectedDirectory}, but no longer generated"));
        foreach (var file in actual.Intersect(expected))
        {
            var expectedLines = File.ReadAllLines(Path.Combine(expectedDirectory, file));
            var actualLines = File.ReadAllLines(Path.Combine(actualDirectory, file));
            if (!File.ReadAllBytes(Path.Combine(expectedDirectory, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(actualDirectory, file))))
            {
                var line = Enumerable.Range(0, Math.Max(expectedLines.Length, actualLines.Length))
                    .FirstOrDefault(i => i >= expectedLines.Length || i >= actualLines.Length || expectedLines[i] != actualLines[i]);
                problems.Add($"{file}: differs from line {line + 1}: expected '{expectedLines.ElementAtOrDefault(line)}', generated '{actualLines.ElementAtOrDefault(line)}'");
            }
        }

        return problems;
    }
}
