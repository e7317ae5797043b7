using k8s;
using k8s.Models;

namespace QuestAspire.AppHost.Kubernetes;

/// <summary>What every generated object and pod shares: labels, security settings, Services.</summary>
internal static class Pods
{
    public const string NameLabel = "app.kubernetes.io/name";

    /// <summary>The <c>app</c> user of the .NET container images.</summary>
    public const long DotnetUserId = 1654;

    public static class Components
    {
        public const string Service = "service";
        public const string Infrastructure = "infrastructure";
        public const string Telemetry = "telemetry";
        public const string Secret = "secret";
    }

    public static V1ObjectMeta Metadata(string name, string component) => new()
    {
        Name = name,
        Labels = new Dictionary<string, string>
        {
            [NameLabel] = name,
            ["app.kubernetes.io/component"] = component,
            ["app.kubernetes.io/part-of"] = KubernetesOptions.Namespace,
        },
    };

    public static V1LabelSelector Selector(string name) =>
        new() { MatchLabels = new Dictionary<string, string> { [NameLabel] = name } };

    /// <summary>
    /// A pod that meets the "restricted" Pod Security Standard, which the namespace enforces.
    /// Service links are off: Kubernetes would otherwise inject variables such as <c>REDIS_PORT=tcp://…</c>
    /// that collide with the AppHost's own.
    /// </summary>
    public static V1PodSpec Spec(long userId, V1Container container, IList<V1Volume>? volumes = null) => new()
    {
        AutomountServiceAccountToken = false,
        EnableServiceLinks = false,
        SecurityContext = new V1PodSecurityContext
        {
            RunAsNonRoot = true,
            RunAsUser = userId,
            RunAsGroup = userId,
            FsGroup = userId,
            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
        },
        Containers = [container],
        Volumes = volumes,
    };

    public static V1SecurityContext ContainerSecurity(bool readOnlyRootFilesystem) => new()
    {
        AllowPrivilegeEscalation = false,
        ReadOnlyRootFilesystem = readOnlyRootFilesystem,
        Capabilities = new V1Capabilities { Drop = ["ALL"] },
    };

    public static V1ResourceRequirements Resources(string cpuRequest, string memoryRequest, string cpuLimit, string memoryLimit) => new()
    {
        Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpuRequest), ["memory"] = new(memoryRequest) },
        Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpuLimit), ["memory"] = new(memoryLimit) },
    };

    /// <summary>Writable scratch folders for a container whose root filesystem is read-only.</summary>
    public static (List<V1Volume> Volumes, List<V1VolumeMount> Mounts) ScratchFolders(params (string Name, string Path)[] folders) =>
        ([.. folders.Select(folder => new V1Volume { Name = folder.Name, EmptyDir = new V1EmptyDirVolumeSource() })],
         [.. folders.Select(folder => new V1VolumeMount { Name = folder.Name, MountPath = folder.Path })]);

    /// <summary>A ClusterIP Service named like the workload, each port forwarding to the container port of the same name.</summary>
    public static V1Service Service(string name, string component, IEnumerable<(string Name, int Port)> ports) => new V1Service
    {
        Metadata = Metadata(name, component),
        Spec = new V1ServiceSpec
        {
            Selector = new Dictionary<string, string> { [NameLabel] = name },
            Ports = [.. ports.Select(port => new V1ServicePort { Name = port.Name, Port = port.Port, TargetPort = port.Name, Protocol = "TCP" })],
        },
    }.Initialize();

    public static V1ContainerPort ContainerPort(string name, int port) => new()
    {
        Name = name.Length <= 15 ? name : throw new NotSupportedException($"Port name '{name}' is longer than Kubernetes allows (15)."),
        ContainerPort = port,
        Protocol = "TCP",
    };
}
