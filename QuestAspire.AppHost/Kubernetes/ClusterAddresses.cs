using System.Globalization;
using System.Text.RegularExpressions;

namespace QuestAspire.AppHost.Kubernetes;

/// <summary>
/// Where a resource's endpoints are reached inside the cluster: each resource gets a Service of its
/// own name, whose ports equal the container ports. Projects serve plain HTTP on
/// <see cref="ProjectHttpPort"/>; their <c>https</c> endpoints are not served, because TLS ends
/// at the Ingress.
/// </summary>
internal static partial class ClusterAddresses
{
    /// <summary>The port ASP.NET Core listens on in its container images (the model's <c>HTTP_PORTS</c>).</summary>
    public const int ProjectHttpPort = 8080;

    public static string Host(IResource resource) =>
        IsServiceName(resource.Name)
            ? resource.Name
            : throw new NotSupportedException($"'{resource.Name}' cannot name a Kubernetes Service: use lowercase letters, digits and '-'.");

    /// <summary>The container (and Service) port of an endpoint, or null when the cluster does not serve it.</summary>
    public static int? Port(IResource resource, EndpointAnnotation endpoint) => resource switch
    {
        ProjectResource when endpoint.UriScheme == "http" => ProjectHttpPort,
        ProjectResource => null,
        _ => endpoint.TargetPort
            ?? throw new NotSupportedException($"Endpoint '{endpoint.Name}' of '{resource.Name}' has no target port, so its container port is unknown."),
    };

    /// <summary>The endpoints the cluster serves, in model order, with their ports.</summary>
    public static IEnumerable<(EndpointAnnotation Endpoint, int Port)> ServedEndpoints(IResource resource) =>
        resource.Annotations.OfType<EndpointAnnotation>()
            .Select(endpoint => (Endpoint: endpoint, Port: Port(resource, endpoint)))
            .Where(served => served.Port is not null)
            .Select(served => (served.Endpoint, served.Port!.Value));

    /// <summary>A property of an endpoint as the cluster sees it, or null when the endpoint is not served.</summary>
    public static string? Property(EndpointReference reference, EndpointProperty property)
    {
        if (Port(reference.Resource, reference.EndpointAnnotation) is not { } port)
        {
            return null;
        }

        var host = Host(reference.Resource);
        var scheme = reference.EndpointAnnotation.UriScheme;
        return property switch
        {
            EndpointProperty.Url => $"{scheme}://{host}:{port}",
            EndpointProperty.Host or EndpointProperty.IPV4Host => host,
            EndpointProperty.Port or EndpointProperty.TargetPort => port.ToString(CultureInfo.InvariantCulture),
            EndpointProperty.HostAndPort => $"{host}:{port}",
            EndpointProperty.Scheme => scheme,
            EndpointProperty.TlsEnabled => bool.FalseString, // nothing inside the cluster speaks TLS
            _ => throw new NotSupportedException($"Endpoint property {property} is not supported."),
        };
    }

    // A DNS-1035 label, as Kubernetes requires of Service names.
    private static bool IsServiceName(string name) => name.Length <= 63 && ServiceNamePattern().IsMatch(name);

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex ServiceNamePattern();
}
