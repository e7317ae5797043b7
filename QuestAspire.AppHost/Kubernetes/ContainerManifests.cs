using k8s;
using k8s.Models;

namespace QuestAspire.AppHost.Kubernetes;

/// <summary>
/// A container resource (Postgres, RabbitMQ, Redis) becomes a single-replica StatefulSet with a
/// volume claim for its data and a Service for its endpoints. Image, command, arguments,
/// environment and ports come from the model; what the model does not say about an image (where
/// it keeps its data, its user, its size) comes from <see cref="Defaults"/>.
/// </summary>
internal static class ContainerManifests
{
    private const string DataVolume = "data";

    // The users of the Docker official images (postgres, rabbitmq, redis) are all uid 999; their
    // entrypoints run unprivileged when started as that user.
    private const long OfficialImageUserId = 999;

    private sealed record ImageDefaults(string DataPath, string StorageSize, V1ResourceRequirements Resources);

    public static IEnumerable<IKubernetesObject> Build(
        ContainerResource container, IList<V1EnvVar> environment, IList<string> arguments, IEnumerable<IResource> children)
    {
        var name = ClusterAddresses.Host(container);
        var defaults = Defaults(container);
        var endpoints = ClusterAddresses.ServedEndpoints(container).ToList();
        var primary = endpoints.Count > 0
            ? endpoints[0].Endpoint.Name
            : throw new NotSupportedException($"Container '{container.Name}' has no endpoint to probe and route to.");

        var mounts = new List<V1VolumeMount> { new() { Name = DataVolume, MountPath = defaults.DataPath } };
        var volumes = new List<V1Volume>();
        if (container is PostgresServerResource)
        {
            var databases = children.OfType<PostgresDatabaseResource>().ToList();
            yield return CreateDatabasesConfigMap(name, databases);
            volumes.Add(new V1Volume { Name = "initdb", ConfigMap = new V1ConfigMapVolumeSource { Name = InitConfigMapName(name) } });
            mounts.Add(new V1VolumeMount { Name = "initdb", MountPath = "/docker-entrypoint-initdb.d", ReadOnlyProperty = true });
        }

        yield return Pods.Service(name, Pods.Components.Infrastructure, endpoints.Select(served => (served.Endpoint.Name, served.Port)));

        var podContainer = new V1Container
        {
            Name = name,
            Image = Image(container),
            Command = container.Entrypoint is { } entrypoint ? [entrypoint] : null,
            Args = arguments.Count > 0 ? arguments : null,
            Ports = [.. endpoints.Select(served => Pods.ContainerPort(served.Endpoint.Name, served.Port))],
            Env = environment,
            ReadinessProbe = TcpProbe(primary, periodSeconds: 5, failureThreshold: 3),
            LivenessProbe = TcpProbe(primary, periodSeconds: 20, failureThreshold: 6),
            Resources = defaults.Resources,
            // These servers write beside their data (sockets, generated config), so the root
            // filesystem stays writable; they still run unprivileged.
            SecurityContext = Pods.ContainerSecurity(readOnlyRootFilesystem: false),
            VolumeMounts = mounts,
        };

        yield return new V1StatefulSet
        {
            Metadata = Pods.Metadata(name, Pods.Components.Infrastructure),
            Spec = new V1StatefulSetSpec
            {
                ServiceName = name,
                Replicas = 1,
                Selector = Pods.Selector(name),
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = Pods.Metadata(name, Pods.Components.Infrastructure).Labels },
                    Spec = Pods.Spec(OfficialImageUserId, podContainer, volumes.Count > 0 ? volumes : null),
                },
                VolumeClaimTemplates =
                [
                    new V1PersistentVolumeClaim
                    {
                        Metadata = new V1ObjectMeta { Name = DataVolume },
                        Spec = new V1PersistentVolumeClaimSpec
                        {
                            AccessModes = ["ReadWriteOnce"],
                            Resources = new V1VolumeResourceRequirements
                            {
                                Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(defaults.StorageSize) },
                            },
                        },
                    },
                ],
            },
        }.Initialize();
    }

    public static string InitConfigMapName(string serverName) => $"{serverName}-initdb";

    private static ImageDefaults Defaults(ContainerResource container) => container switch
    {
        // From the postgres 18 image on, PGDATA is a versioned folder below /var/lib/postgresql.
        PostgresServerResource => new("/var/lib/postgresql", "5Gi", Pods.Resources("250m", "512Mi", "2", "1Gi")),
        RabbitMQServerResource => new("/var/lib/rabbitmq", "2Gi", Pods.Resources("250m", "512Mi", "1", "1Gi")),
        RedisResource => new("/data", "1Gi", Pods.Resources("100m", "128Mi", "500m", "256Mi")),
        _ => throw new NotSupportedException(
            $"Container '{container.Name}' has no Kubernetes defaults: add its data folder, storage and resources to {nameof(ContainerManifests)}."),
    };

    private static string Image(ContainerResource container)
    {
        var image = container.Annotations.OfType<ContainerImageAnnotation>().LastOrDefault()
            ?? throw new NotSupportedException($"Container '{container.Name}' has no image.");
        var repository = image.Registry is { Length: > 0 } registry ? $"{registry}/{image.Image}" : image.Image;
        return image.SHA256 is { Length: > 0 } digest ? $"{repository}@sha256:{digest}" : $"{repository}:{image.Tag}";
    }

    private static V1Probe TcpProbe(string portName, int periodSeconds, int failureThreshold) => new()
    {
        TcpSocket = new V1TCPSocketAction { Port = portName },
        PeriodSeconds = periodSeconds,
        TimeoutSeconds = 3,
        FailureThreshold = failureThreshold,
    };

    // The image runs these scripts once, when it initialises an empty data folder. The services'
    // EF Core migrations would also create a missing database; creating them here keeps the
    // cluster's Postgres like the AppHost's, where AddDatabase creates them.
    private static V1ConfigMap CreateDatabasesConfigMap(string serverName, IEnumerable<PostgresDatabaseResource> databases) => new V1ConfigMap
    {
        Metadata = Pods.Metadata(InitConfigMapName(serverName), Pods.Components.Infrastructure),
        Data = new Dictionary<string, string>
        {
            ["create-databases.sql"] = string.Concat(databases.Select(database =>
                $"CREATE DATABASE \"{database.DatabaseName.Replace("\"", "\"\"", StringComparison.Ordinal)}\";\n")),
        },
    }.Initialize();
}
