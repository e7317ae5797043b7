using System.Globalization;
using k8s.Models;

namespace QuestAspire.AppHost.Kubernetes;

/// <summary>
/// Turns the AppHost's values into Kubernetes ones. Literals stay literals, endpoints become
/// Service addresses, and every parameter becomes a Secret (see <see cref="SecretManifests"/>):
/// a value that is exactly one parameter reads it with <c>secretKeyRef</c>; a value that embeds one
/// (a connection string) refers to a helper variable with Kubernetes' <c>$(NAME)</c> expansion, so
/// a password lives in exactly one Secret.
/// </summary>
internal sealed class ValueTranslator
{
    private readonly SortedDictionary<string, ParameterResource> _secrets = new(StringComparer.Ordinal);

    /// <summary>Every parameter translated so far, by name.</summary>
    public IEnumerable<ParameterResource> Secrets => _secrets.Values;

    /// <summary>
    /// A container's environment and arguments. Variables whose value points at an endpoint the
    /// cluster does not serve are left out and reported through <paramref name="skipped"/>.
    /// </summary>
    public (List<V1EnvVar> Environment, List<string> Arguments) Translate(ResourceSettings settings, Action<string>? skipped = null)
    {
        var embedded = new SortedDictionary<string, ParameterResource>(StringComparer.Ordinal);
        var environment = new List<V1EnvVar>();
        foreach (var (name, value) in settings.Environment)
        {
            if (Unwrap(value) is ParameterResource parameter)
            {
                environment.Add(SecretVariable(name, parameter));
            }
            else if (Render(value, embedded) is { } text)
            {
                environment.Add(new V1EnvVar { Name = name, Value = text });
            }
            else
            {
                skipped?.Invoke(name);
            }
        }

        var arguments = settings.Arguments
            .Select(argument => Render(argument, embedded)
                ?? throw new NotSupportedException($"Argument '{argument}' points at an endpoint the cluster does not serve."))
            .ToList();

        // Kubernetes expands $(NAME) only from variables defined earlier in the list.
        List<V1EnvVar> helpers = [.. embedded.Values.Select(parameter => SecretVariable(HelperVariableName(parameter), parameter))];
        return ([.. helpers, .. environment], arguments);
    }

    private static string HelperVariableName(ParameterResource parameter) =>
        "SECRET_" + parameter.Name.Replace('-', '_').ToUpperInvariant();

    private V1EnvVar SecretVariable(string name, ParameterResource parameter)
    {
        _secrets.TryAdd(parameter.Name, parameter);
        return new V1EnvVar
        {
            Name = name,
            ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = parameter.Name, Key = SecretManifests.ValueKey } },
        };
    }

    // A connection string reference or a bare "{0}" expression around one value is that value.
    private static object Unwrap(object value) => value switch
    {
        ConnectionStringReference reference => Unwrap(reference.Resource.ConnectionStringExpression),
        ReferenceExpression { IsConditional: false, Format: "{0}", ValueProviders: [var single] } expression
            when expression.StringFormats is [null] => Unwrap(single),
        _ => value,
    };

    // Null when the value points at an endpoint the cluster does not serve.
    private string? Render(object value, IDictionary<string, ParameterResource> embedded) => value switch
    {
        string text => text.Replace("$(", "$$(", StringComparison.Ordinal), // a literal, not a Kubernetes variable reference
        ParameterResource parameter => EmbedSecret(parameter, embedded),
        ConnectionStringReference reference => Render(reference.Resource.ConnectionStringExpression, embedded),
        IResourceWithConnectionString resource => Render(resource.ConnectionStringExpression, embedded),
        EndpointReference endpoint => ClusterAddresses.Property(endpoint, EndpointProperty.Url),
        EndpointReferenceExpression expression => ClusterAddresses.Property(expression.Endpoint, expression.Property),
        ReferenceExpression { IsConditional: true } conditional => RenderConditional(conditional, embedded),
        ReferenceExpression expression => RenderFormat(expression, embedded),
        _ => throw new NotSupportedException($"A value of type {value.GetType().Name} cannot be written to a Kubernetes manifest."),
    };

    private string EmbedSecret(ParameterResource parameter, IDictionary<string, ParameterResource> embedded)
    {
        _secrets.TryAdd(parameter.Name, parameter);
        embedded.TryAdd(parameter.Name, parameter);
        return $"$({HelperVariableName(parameter)})";
    }

    private string? RenderConditional(ReferenceExpression conditional, IDictionary<string, ParameterResource> embedded)
    {
        var condition = Render(conditional.Condition!, embedded);
        var branch = string.Equals(condition, conditional.MatchValue, StringComparison.OrdinalIgnoreCase)
            ? conditional.WhenTrue
            : conditional.WhenFalse;
        return Render(branch!, embedded);
    }

    private string? RenderFormat(ReferenceExpression expression, IDictionary<string, ParameterResource> embedded)
    {
        var parts = new object[expression.ValueProviders.Count];
        for (var i = 0; i < parts.Length; i++)
        {
            var provider = expression.ValueProviders[i];
            if (Render(provider, embedded) is not { } part)
            {
                return null;
            }

            parts[i] = expression.StringFormats[i] switch
            {
                null => part,
                // A secret cannot be encoded before Kubernetes substitutes it: secrets must be
                // URI-safe, which the placeholders and the README's instructions make sure of.
                "uri" when provider is ParameterResource => part,
                "uri" => Uri.EscapeDataString(part),
                var unknown => throw new NotSupportedException($"String format '{unknown}' in '{expression.ValueExpression}' is not supported."),
            };
        }

        var format = expression.Format.Replace("$(", "$$(", StringComparison.Ordinal);
        return string.Format(CultureInfo.InvariantCulture, format, parts);
    }
}
