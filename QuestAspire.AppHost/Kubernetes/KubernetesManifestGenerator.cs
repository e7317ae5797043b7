using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace QuestAspire.AppHost.Kubernetes;

/// <summary>
/// Walks the application model and returns the files of <c>k8s/</c>: a kustomize base (the
/// Namespace, one Secret per parameter, one file per project and container resource, the
/// dashboard) and a dev overlay. Output depends on the model alone, in model order, so
/// regenerating an unchanged AppHost rewrites the same bytes.
/// </summary>
internal static class KubernetesManifestGenerator
{
    // A relative output path is resolved against the AppHost's folder, hence ../k8s.
    public const string RegenerateCommand =
        "dotnet run --project QuestAspire.AppHost -- --operation publish --step " + KubernetesPublishingExtensions.StepName + " --output-path ../k8s";

    private const string Generated =
        "Generated from the QuestAspire AppHost's application model; do not edit. Regenerate from the repository root:\n  " + RegenerateCommand;

    public static async Task<IReadOnlyList<ManifestFile>> GenerateAsync(
        DistributedApplicationModel model,
        DistributedApplicationExecutionContext executionContext,
        KubernetesOptions options,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var translator = new ValueTranslator();
        var workloads = new List<ManifestFile>();
        foreach (var resource in model.Resources)
        {
            var objects = resource switch
            {
                ProjectResource project => await ProjectAsync(project),
                ContainerResource container => await ContainerAsync(container),
                // Parameters become Secrets where they are used; children (the databases) come with their parent.
                ParameterResource or IResourceWithParent => null,
                _ => throw new NotSupportedException(
                    $"'{resource.Name}' is a {resource.GetType().Name}, which the Kubernetes manifests do not describe yet."),
            };
            if (objects is not null)
            {
                workloads.Add(new ManifestFile($"base/{resource.Name}.yaml", $"{resource.Name}: {Describe(resource)}\n{Generated}", objects));
            }
        }

        var dashboard = new ManifestFile(
            $"base/{DashboardManifests.Name}.yaml",
            $"The Aspire dashboard, the OTLP receiver of every service.\n{Generated}",
            [.. DashboardManifests.Build()]);
        var secrets = new ManifestFile(
            "base/secrets.yaml",
            $"One Secret per AppHost parameter. The values are placeholders: supply real ones in an overlay\n(see docs/kubernetes.md). Passwords must be URI-safe (letters, digits, '-', '_', '.', '~').\n{Generated}",
            [.. SecretManifests.Build(translator.Secrets)]);
        var namespaceFile = new ManifestFile("base/namespace.yaml", Generated, [Namespace()]);

        List<ManifestFile> baseFiles = [namespaceFile, secrets, .. workloads, dashboard];
        return [.. baseFiles, BaseKustomization(baseFiles), DevOverlay(model, options)];

        async Task<IReadOnlyList<object>> ProjectAsync(ProjectResource project)
        {
            var settings = await ResourceSettings.ReadAsync(project, executionContext, cancellationToken);
            var skipped = new List<string>();
            var (environment, arguments) = translator.Translate(settings, skipped.Add);
            if (skipped.Count > 0)
            {
                logger.LogInformation("{Resource}: left out {Variables}: they point at https endpoints, and TLS ends at the Ingress",
                    project.Name, string.Join(", ", skipped));
            }

            if (project.HasAnnotationOfType<OtlpExporterAnnotation>())
            {
                environment.AddRange(DashboardManifests.OtlpEnvironment(project).Where(otlp => environment.All(variable => variable.Name != otlp.Name)));
            }

            return [.. ProjectManifests.Build(project, environment, arguments)];
        }

        async Task<IReadOnlyList<object>> ContainerAsync(ContainerResource container)
        {
            var settings = await ResourceSettings.ReadAsync(container, executionContext, cancellationToken);
            var (environment, arguments) = translator.Translate(settings);
            var children = model.Resources.Where(child => child is IResourceWithParent { Parent: var parent } && parent == container);
            return [.. ContainerManifests.Build(container, environment, arguments, children)];
        }
    }

    private static string Describe(IResource resource) => resource switch
    {
        ProjectResource => "a project of the AppHost, run from its container image.",
        _ => "a container of the AppHost.",
    };

    // Pods of the namespace must meet the "restricted" Pod Security Standard; every generated pod does.
    private static V1Namespace Namespace() => new V1Namespace
    {
        Metadata = new V1ObjectMeta
        {
            Name = KubernetesOptions.Namespace,
            Labels = new Dictionary<string, string>
            {
                ["app.kubernetes.io/part-of"] = KubernetesOptions.Namespace,
                ["pod-security.kubernetes.io/enforce"] = "restricted",
            },
        },
    }.Initialize();

    private static ManifestFile BaseKustomization(IEnumerable<ManifestFile> baseFiles) => new(
        "base/kustomization.yaml",
        $"The base: every object QuestAspire needs, with placeholder secrets and unqualified project images.\nDeploy an overlay, not the base: kubectl apply -k k8s/overlays/dev\n{Generated}",
        [new Kustomization { Namespace = KubernetesOptions.Namespace, Resources = [.. baseFiles.Select(file => Path.GetFileName(file.RelativePath))] }]);

    private static ManifestFile DevOverlay(DistributedApplicationModel model, KubernetesOptions options) => new(
        "overlays/dev/kustomization.yaml",
        $"""
        The dev overlay: project images from {options.Registry} tagged {options.ImageTag} (set with
        --Kubernetes:Registry and --Kubernetes:ImageTag when generating); the autoscalers start at one replica.
        Real secrets go in an overlay of your own (see docs/kubernetes.md), for example:
          secretGenerator:
          - name: jwt-signing-key
            behavior: replace
            envs: [jwt-signing-key.env]    # value=<64 random characters>, kept out of git
        {Generated}
        """,
        [
            new Kustomization
            {
                Resources = ["../../base"],
                Images =
                [
                    .. model.Resources.OfType<ProjectResource>().Select(project => new KustomizeImage(
                        KubernetesOptions.ProjectImage(project), $"{options.Registry}/{KubernetesOptions.ProjectImage(project)}", options.ImageTag)),
                ],
                Patches =
                [
                    new KustomizePatch(
                        """[{"op": "replace", "path": "/spec/minReplicas", "value": 1}]""",
                        new KustomizeTarget(V2HorizontalPodAutoscaler.KubeKind)),
                ],
            },
        ]);
}
