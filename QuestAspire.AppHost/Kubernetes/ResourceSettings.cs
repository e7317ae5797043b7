namespace QuestAspire.AppHost.Kubernetes;

/// <summary>
/// The environment and arguments the AppHost gives a resource in publish mode, as Aspire values
/// (strings, parameters, endpoint references, expressions), in the order the AppHost adds them.
/// </summary>
internal sealed record ResourceSettings(IReadOnlyList<KeyValuePair<string, object>> Environment, IReadOnlyList<object> Arguments)
{
    public static async Task<ResourceSettings> ReadAsync(
        IResource resource, DistributedApplicationExecutionContext executionContext, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, object>();
        if (resource.TryGetEnvironmentVariables(out var environmentCallbacks))
        {
            var context = new EnvironmentCallbackContext(executionContext, resource, environment, cancellationToken);
            foreach (var callback in environmentCallbacks)
            {
                await callback.Callback(context);
            }
        }

        var arguments = new List<object>();
        if (resource.TryGetAnnotationsOfType<CommandLineArgsCallbackAnnotation>(out var argumentCallbacks))
        {
            var context = new CommandLineArgsCallbackContext(arguments, resource, cancellationToken) { ExecutionContext = executionContext };
            foreach (var callback in argumentCallbacks)
            {
                await callback.Callback(context);
            }
        }

        return new([.. environment], arguments);
    }
}
