using System.Text.Json;

[assembly: AssemblyFixture(typeof(QuestAspire.Kubernetes.Tests.GeneratedManifests))]

namespace QuestAspire.Kubernetes.Tests;

/// <summary>
/// Runs the AppHost's publish steps once for all tests: <c>publish-kubernetes</c> (our manifests)
/// and <c>publish-manifest</c> (Aspire's own description of the model, which the tests use as
/// the independent account of what each resource gets).
/// </summary>
public sealed class GeneratedManifests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("questaspire-k8s-tests-").FullName;

    /// <summary>The generated k8s folder.</summary>
    public string OutputDirectory => Path.Combine(_root, "k8s");

    /// <summary>Every object of the generated base, loaded strictly (an unknown field fails).</summary>
    public IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Objects { get; private set; } = [];

    /// <summary>The resources of Aspire's manifest (aspire-manifest.json), by name.</summary>
    public IReadOnlyDictionary<string, JsonElement> AspireResources { get; private set; } = new Dictionary<string, JsonElement>();

    public async ValueTask InitializeAsync()
    {
        await Repository.PublishKubernetesAsync(OutputDirectory);

        var aspireManifestDirectory = Path.Combine(_root, "aspire-manifest");
        await Repository.PublishAsync("publish-manifest", aspireManifestDirectory, "aspire-manifest.json");
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(aspireManifestDirectory, "aspire-manifest.json")));
        AspireResources = manifest.RootElement.GetProperty("resources").EnumerateObject()
            .ToDictionary(resource => resource.Name, resource => resource.Value.Clone());

        var objects = new List<IKubernetesObject<V1ObjectMeta>>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(OutputDirectory, "base"), "*.yaml").Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(file) != "kustomization.yaml")
            {
                objects.AddRange(KubernetesYaml.LoadAllFromString(await File.ReadAllTextAsync(file), strict: true).Cast<IKubernetesObject<V1ObjectMeta>>());
            }
        }

        Objects = objects;
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return ValueTask.CompletedTask;
    }

    public IEnumerable<T> All<T>() => Objects.OfType<T>();

    public T Named<T>(string name)
        where T : IKubernetesObject<V1ObjectMeta> =>
        Objects.OfType<T>().SingleOrDefault(o => o.Metadata.Name == name)
            ?? throw new Xunit.Sdk.XunitException($"No {typeof(T).Name} named '{name}' among: {string.Join(", ", Objects.Select(o => $"{o.Kind}/{o.Metadata.Name}"))}");

    /// <summary>The projects of the AppHost (Aspire's manifest type project.v0), by name.</summary>
    public IEnumerable<(string Name, JsonElement Resource)> Projects() =>
        AspireResources.Where(resource => resource.Value.GetProperty("type").GetString() == "project.v0")
            .Select(resource => (resource.Key, resource.Value));
}
