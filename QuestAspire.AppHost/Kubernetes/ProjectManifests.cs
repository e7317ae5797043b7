using k8s;
using k8s.Models;

namespace QuestAspire.AppHost.Kubernetes;

/// <summary>
/// A project becomes a Deployment of its image, a Service for its HTTP endpoint, a
/// HorizontalPodAutoscaler when it can scale out, and an Ingress when its endpoint is external.
/// </summary>
internal static class ProjectManifests
{
    // What QuestAspire.ServiceDefaults' MapDefaultEndpoints serves; the tests check the two agree.
    public const string ReadinessPath = "/health";
    public const string LivenessPath = "/alive";

    public static IEnumerable<IKubernetesObject> Build(ProjectResource project, IList<V1EnvVar> environment, IList<string> arguments)
    {
        var name = ClusterAddresses.Host(project);
        var endpoints = ClusterAddresses.ServedEndpoints(project).ToList();
        var http = endpoints.FirstOrDefault(served => served.Endpoint.UriScheme == "http").Endpoint
            ?? throw new NotSupportedException($"Project '{project.Name}' has no http endpoint to probe and route to.");

        yield return Pods.Service(name, Pods.Components.Service, endpoints.Select(served => (served.Endpoint.Name, served.Port)));
        yield return Deployment(project, name, http.Name, endpoints, environment, arguments);

        if (ScalesOut(project))
        {
            yield return Autoscaler(name);
        }

        if (endpoints.Any(served => served.Endpoint.IsExternal))
        {
            yield return Ingress(name, http.Name);
        }
    }

    // Web is a Blazor Server app: a user's circuit lives in one process and each pod has its own
    // Data Protection keys, so it stays at one replica until it has sticky sessions and shared keys.
    private static bool ScalesOut(ProjectResource project) => project.Name != ResourceNames.Web;

    private static V1Deployment Deployment(
        ProjectResource project,
        string name,
        string httpPortName,
        List<(EndpointAnnotation Endpoint, int Port)> endpoints,
        IList<V1EnvVar> environment,
        IList<string> arguments)
    {
        // The services write only to /tmp and $HOME (.NET's diagnostics socket, ASP.NET Core's
        // Data Protection keys), so the root filesystem is read-only.
        var (volumes, mounts) = Pods.ScratchFolders(("tmp", "/tmp"), ("home", "/home/app"));
        var container = new V1Container
        {
            Name = name,
            Image = KubernetesOptions.ProjectImage(project),
            Args = arguments.Count > 0 ? arguments : null,
            Ports = [.. endpoints.Select(served => Pods.ContainerPort(served.Endpoint.Name, served.Port))],
            Env = environment,
            // Migrations run before the server starts listening (see docs/kubernetes.md), so
            // /alive answers only once they are done: the startup probe gives them five minutes.
            StartupProbe = HttpProbe(LivenessPath, httpPortName, periodSeconds: 5, failureThreshold: 60),
            ReadinessProbe = HttpProbe(ReadinessPath, httpPortName, periodSeconds: 10, failureThreshold: 3),
            LivenessProbe = HttpProbe(LivenessPath, httpPortName, periodSeconds: 20, failureThreshold: 3),
            Resources = Pods.Resources(cpuRequest: "100m", memoryRequest: "256Mi", cpuLimit: "1", memoryLimit: "512Mi"),
            SecurityContext = Pods.ContainerSecurity(readOnlyRootFilesystem: true),
            VolumeMounts = mounts,
        };

        return new V1Deployment
        {
            Metadata = Pods.Metadata(name, Pods.Components.Service),
            Spec = new V1DeploymentSpec
            {
                // The autoscaler owns the replica count of a service that scales out.
                Replicas = ScalesOut(project) ? null : 1,
                Selector = Pods.Selector(name),
                // A new pod must be ready (migrated, dependencies reachable) before an old one goes.
                Strategy = new V1DeploymentStrategy
                {
                    Type = "RollingUpdate",
                    RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = 1, MaxUnavailable = 0 },
                },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = Pods.Metadata(name, Pods.Components.Service).Labels },
                    Spec = Pods.Spec(Pods.DotnetUserId, container, volumes),
                },
            },
        }.Initialize();
    }

    private static V1Probe HttpProbe(string path, string portName, int periodSeconds, int failureThreshold) => new()
    {
        HttpGet = new V1HTTPGetAction { Path = path, Port = portName },
        PeriodSeconds = periodSeconds,
        TimeoutSeconds = 5,
        FailureThreshold = failureThreshold,
    };

    private static V2HorizontalPodAutoscaler Autoscaler(string name) => new V2HorizontalPodAutoscaler
    {
        Metadata = Pods.Metadata(name, Pods.Components.Service),
        Spec = new V2HorizontalPodAutoscalerSpec
        {
            ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = V1Deployment.KubeKind, Name = name },
            MinReplicas = 2,
            MaxReplicas = 5,
            Metrics =
            [
                new V2MetricSpec
                {
                    Type = "Resource",
                    Resource = new V2ResourceMetricSource
                    {
                        Name = "cpu",
                        Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = 70 },
                    },
                },
            ],
        },
    }.Initialize();

    // No host and no class: the cluster's default Ingress controller serves every host name.
    // TLS is for the overlay of a real environment (see docs/kubernetes.md).
    private static V1Ingress Ingress(string name, string portName) => new V1Ingress
    {
        Metadata = Pods.Metadata(name, Pods.Components.Service),
        Spec = new V1IngressSpec
        {
            Rules =
            [
                new V1IngressRule
                {
                    Http = new V1HTTPIngressRuleValue
                    {
                        Paths =
                        [
                            new V1HTTPIngressPath
                            {
                                Path = "/",
                                PathType = "Prefix",
                                Backend = new V1IngressBackend
                                {
                                    Service = new V1IngressServiceBackend { Name = name, Port = new V1ServiceBackendPort { Name = portName } },
                                },
                            },
                        ],
                    },
                },
            ],
        },
    }.Initialize();
}
