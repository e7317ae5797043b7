using System.Reflection;
using k8s;
using k8s.Models;

namespace QuestAspire.AppHost.Kubernetes;

/// <summary>
/// The standalone Aspire dashboard, so the services' traces, metrics and logs have somewhere to go
/// in the cluster too. Its UI is reached with <c>kubectl port-forward</c>, not an Ingress: it shows
/// everything the services log.
/// </summary>
internal static class DashboardManifests
{
    public const string Name = "aspire-dashboard";
    public const int FrontendPort = 18888;
    public const int OtlpGrpcPort = 18889;
    public const int OtlpHttpPort = 18890;

    public static string OtlpGrpcUrl => $"http://{Name}:{OtlpGrpcPort}";

    /// <summary>What the AppHost gives a resource with an OTLP exporter in run mode, pointed at this dashboard.</summary>
    public static IEnumerable<V1EnvVar> OtlpEnvironment(IResource resource) =>
    [
        new() { Name = "OTEL_EXPORTER_OTLP_ENDPOINT", Value = OtlpGrpcUrl },
        new() { Name = "OTEL_EXPORTER_OTLP_PROTOCOL", Value = "grpc" },
        new() { Name = "OTEL_SERVICE_NAME", Value = resource.Name },
        // Replicas show up in the dashboard as instances of one service.
        new() { Name = "POD_NAME", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } },
        new() { Name = "OTEL_RESOURCE_ATTRIBUTES", Value = "service.instance.id=$(POD_NAME)" },
    ];

    public static IEnumerable<IKubernetesObject> Build()
    {
        (string Name, int Port)[] ports = [("frontend", FrontendPort), ("otlp-grpc", OtlpGrpcPort), ("otlp-http", OtlpHttpPort)];
        var (volumes, mounts) = Pods.ScratchFolders(("tmp", "/tmp"), ("home", "/home/app"));
        var container = new V1Container
        {
            Name = Name,
            Image = $"mcr.microsoft.com/dotnet/aspire-dashboard:{AspireMinorVersion()}",
            Ports = [.. ports.Select(port => Pods.ContainerPort(port.Name, port.Port))],
            Env =
            [
                new() { Name = "ASPNETCORE_URLS", Value = $"http://0.0.0.0:{FrontendPort}" },
                new() { Name = "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", Value = $"http://0.0.0.0:{OtlpGrpcPort}" },
                new() { Name = "ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL", Value = $"http://0.0.0.0:{OtlpHttpPort}" },
                // The UI asks for the token the dashboard prints to its log; OTLP is open to the
                // pods of the namespace only, since the Service is not exposed.
                new() { Name = "Dashboard__Frontend__AuthMode", Value = "BrowserToken" },
                new() { Name = "Dashboard__Otlp__AuthMode", Value = "Unsecured" },
            ],
            ReadinessProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = "frontend" }, PeriodSeconds = 10 },
            LivenessProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = "frontend" }, PeriodSeconds = 20 },
            Resources = Pods.Resources(cpuRequest: "100m", memoryRequest: "256Mi", cpuLimit: "1", memoryLimit: "1Gi"),
            SecurityContext = Pods.ContainerSecurity(readOnlyRootFilesystem: true),
            VolumeMounts = mounts,
        };

        yield return Pods.Service(Name, Pods.Components.Telemetry, ports);
        yield return new V1Deployment
        {
            Metadata = Pods.Metadata(Name, Pods.Components.Telemetry),
            Spec = new V1DeploymentSpec
            {
                // Telemetry is kept in memory: one replica, replaced rather than rolled.
                Replicas = 1,
                Selector = Pods.Selector(Name),
                Strategy = new V1DeploymentStrategy { Type = "Recreate" },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = Pods.Metadata(Name, Pods.Components.Telemetry).Labels },
                    Spec = Pods.Spec(Pods.DotnetUserId, container, volumes),
                },
            },
        }.Initialize();
    }

    // The dashboard image is tagged by Aspire's major.minor version; ours is the one the AppHost runs.
    private static string AspireMinorVersion()
    {
        var version = typeof(DistributedApplication).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? throw new InvalidOperationException("The Aspire.Hosting assembly has no version.");
        return string.Join('.', version.Split('.', '+', '-').Take(2));
    }
}
