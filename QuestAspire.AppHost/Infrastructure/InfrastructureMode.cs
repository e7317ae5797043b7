using System.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace QuestAspire.AppHost.Infrastructure;

/// <summary>How Postgres, RabbitMQ and Redis are run.</summary>
public enum InfrastructureMode
{
    /// <summary>Containers when a container runtime answers, local processes otherwise.</summary>
    Auto,

    /// <summary>The standard Aspire container integrations.</summary>
    Containers,

    /// <summary>Locally installed server binaries run as Aspire executables.</summary>
    LocalProcesses,
}

public static class InfrastructureModeExtensions
{
    /// <summary>
    /// The configuration key that forces a mode: <c>--Infrastructure:Mode LocalProcesses</c> on the
    /// command line, or <c>Infrastructure__Mode=LocalProcesses</c> in the environment.
    /// </summary>
    public const string ConfigurationKey = "Infrastructure:Mode";

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Resolves the infrastructure mode: the configured one, or, on <see cref="InfrastructureMode.Auto"/>,
    /// containers when a container runtime answers and local processes when none does. Publishing
    /// (manifests for a cluster) always describes containers.
    /// </summary>
    public static InfrastructureMode GetInfrastructureMode(this IDistributedApplicationBuilder builder)
    {
        var configured = builder.Configuration[ConfigurationKey];
        var mode = InfrastructureMode.Auto;
        if (!string.IsNullOrWhiteSpace(configured) && !Enum.TryParse(configured, ignoreCase: true, out mode))
        {
            throw new DistributedApplicationException(
                $"'{configured}' is not an infrastructure mode. Set {ConfigurationKey} to one of: {string.Join(", ", Enum.GetNames<InfrastructureMode>())}.");
        }

        if (builder.ExecutionContext.IsPublishMode)
        {
            return InfrastructureMode.Containers;
        }

        return mode == InfrastructureMode.Auto
            ? ContainerRuntimeAnswers(builder.Configuration) ? InfrastructureMode.Containers : InfrastructureMode.LocalProcesses
            : mode;
    }

    // Aspire reads the same setting to pick docker or podman; "docker info" fails fast when only
    // the client is installed and no engine listens.
    private static bool ContainerRuntimeAnswers(ConfigurationManager configuration)
    {
        var runtime = configuration["ASPIRE_CONTAINER_RUNTIME"] ?? configuration["DOTNET_ASPIRE_CONTAINER_RUNTIME"] ?? "docker";
        try
        {
            using var process = Process.Start(new ProcessStartInfo(runtime, ["info", "--format", "{{.ServerVersion}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (process is null)
            {
                return false;
            }

            if (!process.WaitForExit(ProbeTimeout))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // the runtime's client is not installed at all
        }
    }
}
