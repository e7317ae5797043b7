namespace QuestAspire.Kubernetes.Tests;

public sealed class SchemaValidationTests(GeneratedManifests generated)
{
    private static readonly TimeSpan KubectlTimeout = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task EveryBaseObject_ValidatesAgainstTheKubernetesApiSchema()
    {
        var files = Directory.EnumerateFiles(Path.Combine(generated.OutputDirectory, "base"), "*.yaml").Order(StringComparer.Ordinal);

        var result = await Validator.ValidateAsync(files);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"{generated.Objects.Count} objects checked, 0 failed", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("base")]
    [InlineData("overlays/dev")]
    public async Task Kustomization_Builds_AndEveryBuiltObjectValidates(string folder)
    {
        var build = await KustomizeAsync(folder);

        var result = await Validator.ValidateAsync([], build);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"{generated.Objects.Count} objects checked, 0 failed", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DevOverlay_PullsProjectImagesFromTheRegistry_AndKeepsEverythingInTheNamespace()
    {
        var objects = KubernetesYaml.LoadAllFromString(await KustomizeAsync("overlays/dev"), strict: true)
            .Cast<IKubernetesObject<V1ObjectMeta>>().ToList();

        var projectImages = objects.OfType<V1Deployment>()
            .Where(deployment => deployment.Metadata.Name != "aspire-dashboard")
            .ToDictionary(deployment => deployment.Metadata.Name, deployment => deployment.Spec.Template.Spec.Containers.Single().Image);
        Assert.Equal(["auth-api", "catalog-api", "processing-worker", "web"], projectImages.Keys.Order(StringComparer.Ordinal));
        Assert.All(projectImages, image => Assert.Equal($"localhost:5000/questaspire/{image.Key}:dev", image.Value));
        Assert.All(objects.Where(o => o is not V1Namespace), o => Assert.Equal("questaspire", o.Metadata.NamespaceProperty));
        Assert.All(objects.OfType<V2HorizontalPodAutoscaler>(), autoscaler => Assert.Equal(1, autoscaler.Spec.MinReplicas));
    }

    private async Task<string> KustomizeAsync(string folder)
    {
        var build = await ExternalTool.RunAsync("kubectl", ["kustomize", Path.Combine(generated.OutputDirectory, folder)], generated.OutputDirectory, KubectlTimeout);
        Assert.True(build.ExitCode == 0, $"kubectl kustomize {folder} failed: {build}");
        return build.Output;
    }
}
