namespace QuestAspire.AppHost.Kubernetes;

/// <summary>
/// A kustomization file. KubernetesClient has no model for it (it is kustomize's, not the API
/// server's), so this record carries the few fields we write; <c>kubectl kustomize</c> checks them.
/// </summary>
internal sealed record Kustomization
{
    public string ApiVersion { get; init; } = "kustomize.config.k8s.io/v1beta1";

    public string Kind { get; init; } = "Kustomization";

    public string? Namespace { get; init; }

    public required IReadOnlyList<string> Resources { get; init; }

    public IReadOnlyList<KustomizeImage>? Images { get; init; }

    public IReadOnlyList<KustomizePatch>? Patches { get; init; }
}

internal sealed record KustomizeImage(string Name, string NewName, string NewTag);

internal sealed record KustomizePatch(string Patch, KustomizeTarget Target);

internal sealed record KustomizeTarget(string Kind);
