using System.Text;
using k8s;
using k8s.Models;

namespace QuestAspire.AppHost.Kubernetes;

/// <summary>
/// One Secret per AppHost parameter, named like the parameter, holding <see cref="ValueKey"/>.
/// The generated values are placeholders, never the AppHost's own values: real ones are supplied
/// in an overlay (see docs/kubernetes.md).
/// </summary>
internal static class SecretManifests
{
    public const string ValueKey = "value";

    public const string PlaceholderPrefix = "CHANGE-ME-";

    // At least as long as the services require (a JWT key of 32 characters and more), and only
    // URI-safe characters, since passwords are embedded in connection URIs.
    private const int MinimumPlaceholderLength = 32;

    public static IEnumerable<V1Secret> Build(IEnumerable<ParameterResource> parameters) =>
        parameters.Select(parameter => new V1Secret
        {
            Metadata = Pods.Metadata(parameter.Name, Pods.Components.Secret),
            Type = "Opaque",
            Data = new Dictionary<string, byte[]> { [ValueKey] = Encoding.UTF8.GetBytes(Placeholder(parameter)) },
        }.Initialize());

    public static string Placeholder(ParameterResource parameter)
    {
        var length = Math.Max(MinimumPlaceholderLength, (parameter.Default as GenerateParameterDefault)?.MinLength ?? 0);
        return $"{PlaceholderPrefix}{parameter.Name}-".PadRight(length, 'x');
    }
}
