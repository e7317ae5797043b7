using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace QuestAspire.AppHost.Infrastructure;

/// <summary>Plumbing shared by the local server resources.</summary>
internal static class LocalProcessExtensions
{
    /// <summary>
    /// A proxyless endpoint: DCP picks a free port and the server listens on it itself, so the
    /// port the server is told (<see cref="EndpointProperty.TargetPort"/>) is the one clients use.
    /// </summary>
    public static IResourceBuilder<T> WithLocalEndpoint<T>(this IResourceBuilder<T> builder, string name, string scheme = "tcp")
        where T : IResourceWithEndpoints =>
        builder.WithEndpoint(name: name, scheme: scheme, isProxied: false);

    /// <summary>
    /// Returns a connection string factory for health checks: the value is captured when Aspire
    /// announces it (after the ports are allocated); before that, the check reports unhealthy.
    /// </summary>
    public static Func<IServiceProvider, string> CaptureConnectionString(
        this IDistributedApplicationBuilder builder, IResourceWithConnectionString resource, string suffix = "")
    {
        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(resource, async (_, ct) =>
            connectionString = await resource.ConnectionStringExpression.GetValueAsync(ct) + suffix);

        return _ => connectionString ?? throw new InvalidOperationException($"The connection string of '{resource.Name}' is not available yet.");
    }

    /// <summary>Runs a setup command to completion, sending its output to the resource's log in the dashboard.</summary>
    public static async Task RunToCompletionAsync(this ILogger logger, string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(startInfo)
            ?? throw new DistributedApplicationException($"Could not start '{fileName}'.");

        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) { logger.LogInformation("{Line}", line); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) { logger.LogWarning("{Line}", line); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.WaitForExitAsync(cancellationToken);

        if (process.ExitCode != 0)
        {
            throw new DistributedApplicationException(
                $"'{fileName} {string.Join(' ', startInfo.ArgumentList)}' exited with code {process.ExitCode}; see the resource's log.");
        }
    }
}
