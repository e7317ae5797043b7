extern alias servicedefaults;

using System.Text.RegularExpressions;
using ServiceDefaults = servicedefaults::QuestAspire.ServiceDefaults.Extensions;

namespace QuestAspire.Kubernetes.Tests;

/// <summary>
/// The four services' Deployments against what the AppHost gives them (Aspire's own manifest of
/// the model) and what they listen on.
/// </summary>
public sealed partial class ServiceDeploymentTests(GeneratedManifests generated)
{
    public static TheoryData<string, string[]> WhatEachServiceReads => new()
    {
        { "auth-api", ["ConnectionStrings__authdb", "ConnectionStrings__rabbitmq", "Jwt__SigningKey", "Auth__AdminPassword"] },
        { "catalog-api", ["ConnectionStrings__catalogdb", "ConnectionStrings__rabbitmq", "ConnectionStrings__redis", "Jwt__SigningKey"] },
        { "processing-worker", ["ConnectionStrings__processingdb", "ConnectionStrings__rabbitmq", "services__catalog-api__http__0", "Jwt__SigningKey"] },
        { "web", ["services__auth-api__http__0", "services__catalog-api__http__0", "services__processing-worker__http__0"] },
    };

    [Fact]
    public void EveryService_HasADeploymentWithEveryVariableTheAppHostGivesIt()
    {
        var problems = new List<string>();
        foreach (var (name, project) in generated.Projects())
        {
            var environment = Environment(name).Select(variable => variable.Name).ToHashSet();
            foreach (var variable in project.GetProperty("env").EnumerateObject())
            {
                // Pods serve plain HTTP (TLS ends at the Ingress), so the https endpoints are left out.
                var served = !variable.Value.GetString()!.Contains(".bindings.https.", StringComparison.Ordinal);
                if (environment.Contains(variable.Name) != served)
                {
                    problems.Add(served
                        ? $"{name}: {variable.Name} ({variable.Value}) is missing"
                        : $"{name}: {variable.Name} points at an https endpoint no pod serves");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Equal(["auth-api", "catalog-api", "processing-worker", "web"], generated.Projects().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(WhatEachServiceReads))]
    public void Deployment_HasWhatItsServiceReads_AndTheOtlpEndpoint(string service, string[] variables)
    {
        var environment = Environment(service).Select(variable => variable.Name).ToList();

        Assert.All([.. variables, "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_SERVICE_NAME"], variable => Assert.Contains(variable, environment));
    }

    [Fact]
    public void ConnectionStrings_PointAtServicePortsOfTheServers()
    {
        var seen = new List<string>();
        foreach (var deployment in generated.All<V1Deployment>())
        {
            foreach (var variable in Container(deployment).Env.Where(v => v.Name.StartsWith("ConnectionStrings__", StringComparison.Ordinal)))
            {
                var addresses = Addresses(variable.Value).ToList();
                Assert.True(addresses.Count > 0, $"{deployment.Metadata.Name}: no host and port in {variable.Name} = {variable.Value}");
                foreach (var (host, port) in addresses)
                {
                    AssertServicePort(host, port, $"{deployment.Metadata.Name} {variable.Name}");
                    seen.Add($"{host}:{port}");
                }

                Assert.Matches(SecretReference(), variable.Value); // the password, from a Secret
            }
        }

        Assert.Equal(["postgres:5432", "rabbitmq:5672", "redis:6379"], seen.Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ServiceUrls_LeadThroughServicesToTheContainerPortTheServiceListensOn()
    {
        var urls = generated.All<V1Deployment>()
            .SelectMany(deployment => Container(deployment).Env.Where(v => ServiceUrlVariable().IsMatch(v.Name)))
            .ToList();
        Assert.NotEmpty(urls);

        foreach (var url in urls)
        {
            var target = ServiceUrlVariable().Match(url.Name).Groups["service"].Value;
            var uri = new Uri(url.Value);
            Assert.Equal(("http", target), (uri.Scheme, uri.Host));
            var portName = AssertServicePort(uri.Host, uri.Port, url.Name);
            var listening = Container(generated.Named<V1Deployment>(target));
            Assert.Equal(HttpPorts(listening), listening.Ports.Single(port => port.Name == portName).ContainerPort);
        }
    }

    [Fact]
    public void ProjectContainers_ExposeThePortTheServiceListensOn_AndServicesAndProbesUseIt()
    {
        foreach (var (name, _) in generated.Projects())
        {
            var container = Container(generated.Named<V1Deployment>(name));
            var portNames = container.Ports.Select(port => port.Name).ToList();

            Assert.Equal(HttpPorts(container), container.Ports.Single(port => port.Name == "http").ContainerPort);
            Assert.All(generated.Named<V1Service>(name).Spec.Ports, port => Assert.Contains(port.TargetPort.Value, portNames));
            Assert.All([container.ReadinessProbe, container.LivenessProbe, container.StartupProbe], probe => Assert.Contains(probe.HttpGet.Port.Value, portNames));
        }
    }

    [Fact]
    public void Probes_UseTheHealthEndpointsOfServiceDefaults()
    {
        foreach (var (name, _) in generated.Projects())
        {
            var container = Container(generated.Named<V1Deployment>(name));

            Assert.Equal(ServiceDefaults.HealthPath, container.ReadinessProbe.HttpGet.Path);
            Assert.Equal(ServiceDefaults.AlivePath, container.LivenessProbe.HttpGet.Path);
            Assert.Equal(ServiceDefaults.AlivePath, container.StartupProbe.HttpGet.Path);
        }
    }

    [Fact]
    public void Services_SendTelemetryToTheDashboardsOtlpReceiver()
    {
        var dashboard = Container(generated.Named<V1Deployment>("aspire-dashboard"));
        var grpcListener = new Uri(dashboard.Env.Single(v => v.Name == "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL").Value);

        foreach (var (name, _) in generated.Projects())
        {
            var endpoint = new Uri(Environment(name).Single(v => v.Name == "OTEL_EXPORTER_OTLP_ENDPOINT").Value);
            var portName = AssertServicePort(endpoint.Host, endpoint.Port, $"{name} OTEL_EXPORTER_OTLP_ENDPOINT");

            Assert.Equal("aspire-dashboard", endpoint.Host);
            Assert.Equal(grpcListener.Port, dashboard.Ports.Single(port => port.Name == portName).ContainerPort);
            Assert.Equal("grpc", Environment(name).Single(v => v.Name == "OTEL_EXPORTER_OTLP_PROTOCOL").Value);
        }
    }

    [Fact]
    public void VariableReferences_PointAtVariablesDefinedEarlier()
    {
        // Kubernetes expands $(NAME) only from variables earlier in the list; otherwise the text stays as is.
        foreach (var deployment in generated.All<V1Deployment>().Concat<IKubernetesObject<V1ObjectMeta>>(generated.All<V1StatefulSet>()))
        {
            var environment = deployment switch
            {
                V1Deployment d => Container(d).Env,
                V1StatefulSet s => s.Spec.Template.Spec.Containers.Single().Env,
                _ => [],
            };
            for (var i = 0; i < environment.Count; i++)
            {
                foreach (Match reference in VariableReference().Matches(environment[i].Value ?? ""))
                {
                    var name = reference.Groups["name"].Value;
                    Assert.True(
                        environment.Take(i).Any(earlier => earlier.Name == name),
                        $"{deployment.Metadata.Name}: {environment[i].Name} refers to $({name}), which is not defined before it");
                }
            }
        }
    }

    private IList<V1EnvVar> Environment(string deployment) => Container(generated.Named<V1Deployment>(deployment)).Env;

    private static V1Container Container(V1Deployment deployment) => deployment.Spec.Template.Spec.Containers.Single();

    private static int HttpPorts(V1Container container) =>
        int.Parse(container.Env.Single(v => v.Name == "HTTP_PORTS").Value, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Asserts a Service of that name has that port, and returns the container port name it forwards to.</summary>
    private string AssertServicePort(string host, int port, string usedBy)
    {
        var service = generated.Named<V1Service>(host);
        var servicePort = service.Spec.Ports.SingleOrDefault(p => p.Port == port);
        Assert.True(servicePort is not null, $"{usedBy}: Service {host} has no port {port} (it has {string.Join(", ", service.Spec.Ports.Select(p => p.Port))})");
        return servicePort.TargetPort.Value;
    }

    // Npgsql "Host=h;Port=p", URIs "scheme://user:pass@h:p", StackExchange.Redis "h:p,password=…".
    private static IEnumerable<(string Host, int Port)> Addresses(string connectionString) =>
        HostAndPort().Matches(connectionString).Select(match =>
            (match.Groups["host"].Value, int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture)));

    [GeneratedRegex(@"Host=(?<host>[^;]+);Port=(?<port>\d+)|^[a-z]+://(?:[^@/]*@)?(?<host>[^:/]+):(?<port>\d+)|^(?<host>[a-z0-9-]+):(?<port>\d+),")]
    private static partial Regex HostAndPort();

    [GeneratedRegex(@"^services__(?<service>[a-z0-9-]+)__http__0$")]
    private static partial Regex ServiceUrlVariable();

    [GeneratedRegex(@"(?<!\$)\$\((?<name>[A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"\$\(SECRET_[A-Z_]+\)")]
    private static partial Regex SecretReference();
}
