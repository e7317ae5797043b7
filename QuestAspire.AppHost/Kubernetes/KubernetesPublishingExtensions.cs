using Aspire.Hosting.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace QuestAspire.AppHost.Kubernetes;

public static class KubernetesPublishingExtensions
{
    /// <summary>The publish step that writes the manifests.</summary>
    public const string StepName = "publish-kubernetes";

    /// <summary>
    /// Adds a publish step that generates Kubernetes manifests from the application model: a
    /// kustomize base and a dev overlay under the publish output path. It builds and pushes no
    /// image, so it runs without a container engine:
    /// <c>dotnet run --project QuestAspire.AppHost -- --operation publish --step publish-kubernetes --output-path ../k8s</c>
    /// (a relative output path is resolved against the AppHost's folder).
    /// </summary>
    public static IDistributedApplicationBuilder AddKubernetesManifests(this IDistributedApplicationBuilder builder)
    {
        var options = KubernetesOptions.FromConfiguration(builder.Configuration);

        // The pipeline API and its output service are experimental in Aspire 13.
#pragma warning disable ASPIREPIPELINES001, ASPIREPIPELINES004
        builder.Pipeline.AddStep(StepName, async context =>
        {
            var outputDirectory = context.Services.GetRequiredService<IPipelineOutputService>().GetOutputDirectory();
            var files = await KubernetesManifestGenerator.GenerateAsync(
                context.Model, context.ExecutionContext, options, context.Logger, context.CancellationToken);
            ManifestFile.WriteAll(outputDirectory, files);
            context.Logger.LogInformation("Wrote {Count} Kubernetes manifest files to {OutputDirectory}", files.Count, outputDirectory);
        }, requiredBy: WellKnownPipelineSteps.Publish);
#pragma warning restore ASPIREPIPELINES001, ASPIREPIPELINES004

        return builder;
    }
}
