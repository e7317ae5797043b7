using System.Text;
using System.Text.Json;

namespace QuestAspire.Kubernetes.Tests;

/// <summary>The servers, secrets, autoscalers, Ingress and pod security of the generated base.</summary>
public sealed class ClusterObjectTests(GeneratedManifests generated)
{
    [Theory]
    [InlineData("postgres")]
    [InlineData("rabbitmq")]
    [InlineData("redis")]
    public void Server_IsAStatefulSetWithAVolumeClaim_ListeningWhereTheAppHostSays(string server)
    {
        var statefulSet = generated.Named<V1StatefulSet>(server);
        var container = statefulSet.Spec.Template.Spec.Containers.Single();
        var bindings = generated.AspireResources[server].GetProperty("bindings").EnumerateObject()
            .ToDictionary(binding => binding.Name, binding => binding.Value.GetProperty("targetPort").GetInt32());

        Assert.Equal(generated.AspireResources[server].GetProperty("image").GetString(), container.Image);
        Assert.Equal(bindings, container.Ports.ToDictionary(port => port.Name, port => port.ContainerPort));
        Assert.Equal(bindings, generated.Named<V1Service>(server).Spec.Ports.ToDictionary(port => port.TargetPort.Value, port => port.Port));
        var claim = Assert.Single(statefulSet.Spec.VolumeClaimTemplates);
        Assert.Contains(container.VolumeMounts, mount => mount.Name == claim.Metadata.Name);
    }

    [Fact]
    public void RabbitMQ_ServesItsManagementUi()
    {
        Assert.Contains(generated.Named<V1Service>("rabbitmq").Spec.Ports, port => port.Name == "management" && port.Port == 15672);
    }

    [Fact]
    public void Postgres_CreatesTheDatabaseOfEveryService()
    {
        var databases = generated.AspireResources
            .Select(resource => resource.Value.TryGetProperty("connectionString", out var value) ? value.GetString() : null)
            .Where(connectionString => connectionString?.StartsWith("{postgres.connectionString};Database=", StringComparison.Ordinal) == true)
            .Select(connectionString => connectionString!.Split("Database=")[1])
            .ToList();
        var script = generated.Named<V1ConfigMap>("postgres-initdb").Data["create-databases.sql"];
        var statefulSet = generated.Named<V1StatefulSet>("postgres");

        Assert.Equal(["authdb", "catalogdb", "processingdb"], databases.Order(StringComparer.Ordinal));
        Assert.All(databases, database => Assert.Contains($"CREATE DATABASE \"{database}\";", script, StringComparison.Ordinal));
        Assert.Contains(statefulSet.Spec.Template.Spec.Containers.Single().VolumeMounts, mount => mount.MountPath == "/docker-entrypoint-initdb.d");
    }

    [Fact]
    public void Secrets_ArePlaceholders_ForEveryParameterThePodsRead()
    {
        var secrets = generated.All<V1Secret>().ToDictionary(secret => secret.Metadata.Name);
        var references = generated.All<V1Deployment>().Select(d => d.Spec.Template.Spec)
            .Concat(generated.All<V1StatefulSet>().Select(s => s.Spec.Template.Spec))
            .SelectMany(pod => pod.Containers).SelectMany(container => container.Env)
            .Where(variable => variable.ValueFrom?.SecretKeyRef is not null)
            .Select(variable => variable.ValueFrom.SecretKeyRef)
            .ToList();
        var secretParameters = generated.AspireResources
            .Where(resource => resource.Value.GetProperty("type").GetString() == "parameter.v0"
                && resource.Value.GetProperty("inputs").GetProperty("value").TryGetProperty("secret", out var secret) && secret.GetBoolean())
            .Select(resource => resource.Key);

        Assert.All(references, reference => Assert.True(
            secrets.TryGetValue(reference.Name, out var secret) && secret.Data.ContainsKey(reference.Key),
            $"secretKeyRef {reference.Name}/{reference.Key} has no Secret"));
        Assert.Equal(secretParameters.Order(StringComparer.Ordinal), secrets.Keys.Order(StringComparer.Ordinal));
        Assert.All(secrets.Values.SelectMany(secret => secret.Data.Values), value => Assert.StartsWith("CHANGE-ME-", Encoding.UTF8.GetString(value), StringComparison.Ordinal));
        // The services require a JWT key of 32 characters or more and an admin password of 8.
        Assert.All(secrets.Values.SelectMany(secret => secret.Data.Values), value => Assert.True(value.Length >= 32));
    }

    [Fact]
    public void Secrets_NeverAppearAsPlainValues()
    {
        var developmentSettings = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "QuestAspire.AppHost", "appsettings.Development.json")));
        var developmentAdminPassword = developmentSettings.RootElement.GetProperty("Parameters").GetProperty("admin-password").GetString()!;
        var yaml = string.Concat(Directory.EnumerateFiles(generated.OutputDirectory, "*.yaml", SearchOption.AllDirectories).Select(File.ReadAllText));

        Assert.DoesNotContain(developmentAdminPassword, yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("CHANGE-ME", yaml, StringComparison.Ordinal); // placeholders are only in the Secrets' base64 data
    }

    [Fact]
    public void Autoscalers_ScaleTheApisAndTheWorker_AndOwnTheirReplicaCount()
    {
        var autoscalers = generated.All<V2HorizontalPodAutoscaler>().ToList();

        Assert.Equal(["auth-api", "catalog-api", "processing-worker"], autoscalers.Select(a => a.Metadata.Name).Order(StringComparer.Ordinal));
        Assert.All(autoscalers, autoscaler =>
        {
            Assert.Equal(("Deployment", autoscaler.Metadata.Name), (autoscaler.Spec.ScaleTargetRef.Kind, autoscaler.Spec.ScaleTargetRef.Name));
            Assert.Null(generated.Named<V1Deployment>(autoscaler.Metadata.Name).Spec.Replicas);
            Assert.NotNull(generated.Named<V1Deployment>(autoscaler.Metadata.Name).Spec.Template.Spec.Containers.Single().Resources.Requests["cpu"]);
        });
        Assert.Equal(1, generated.Named<V1Deployment>("web").Spec.Replicas);
    }

    [Fact]
    public void Web_IsReachedThroughAnIngress()
    {
        var backend = generated.Named<V1Ingress>("web").Spec.Rules.Single().Http.Paths.Single().Backend.Service;

        Assert.Equal("web", backend.Name);
        Assert.Contains(generated.Named<V1Service>("web").Spec.Ports, port => port.Name == backend.Port.Name);
        Assert.Single(generated.All<V1Ingress>());
    }

    [Fact]
    public void EveryPod_MeetsTheRestrictedPodSecurityStandard_WhichTheNamespaceEnforces()
    {
        var pods = generated.All<V1Deployment>().Select(d => (d.Metadata.Name, d.Spec.Template.Spec, Project: d.Metadata.Name != "aspire-dashboard"))
            .Concat(generated.All<V1StatefulSet>().Select(s => (s.Metadata.Name, s.Spec.Template.Spec, Project: false)))
            .ToList();

        Assert.Equal("restricted", generated.Named<V1Namespace>("questaspire").Metadata.Labels["pod-security.kubernetes.io/enforce"]);
        Assert.Equal(8, pods.Count);
        Assert.All(pods, pod =>
        {
            Assert.True(pod.Spec.SecurityContext.RunAsNonRoot, $"{pod.Name} may run as root");
            Assert.NotEqual(0, pod.Spec.SecurityContext.RunAsUser);
            Assert.Equal("RuntimeDefault", pod.Spec.SecurityContext.SeccompProfile.Type);
            Assert.All(pod.Spec.Containers.Concat(pod.Spec.InitContainers ?? []), container =>
            {
                Assert.False(container.SecurityContext.AllowPrivilegeEscalation ?? true, $"{pod.Name}/{container.Name} may escalate privileges");
                Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
                Assert.NotNull(container.Resources.Limits);
                Assert.NotNull(container.Resources.Requests);
                if (pod.Project)
                {
                    Assert.True(container.SecurityContext.ReadOnlyRootFilesystem, $"{pod.Name} has a writable root filesystem");
                }
            });
        });
    }
}
