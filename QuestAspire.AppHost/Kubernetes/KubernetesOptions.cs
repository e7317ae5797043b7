using Microsoft.Extensions.Configuration;

namespace QuestAspire.AppHost.Kubernetes;

/// <summary>
/// What the manifests need that the application model does not say: where the service images
/// are pushed. Set with <c>--Kubernetes:Registry</c> and <c>--Kubernetes:ImageTag</c>; they land in
/// the dev overlay's <c>images:</c> list, which is kustomize's own image parameter.
/// </summary>
internal sealed record KubernetesOptions(string Registry, string ImageTag)
{
    public const string SectionName = "Kubernetes";

    /// <summary>Every object lives in this namespace.</summary>
    public const string Namespace = "questaspire";

    public static KubernetesOptions FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        return new(section["Registry"] ?? "localhost:5000", section["ImageTag"] ?? "dev");
    }

    /// <summary>The image a project is built into, without registry or tag (see the README's build step).</summary>
    public static string ProjectImage(ProjectResource project) => $"{Namespace}/{project.Name}";
}
