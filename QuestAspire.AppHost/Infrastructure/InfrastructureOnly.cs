using Microsoft.Extensions.Configuration;

namespace QuestAspire.AppHost.Infrastructure;

/// <summary>
/// A run with only Postgres (and its databases), RabbitMQ and Redis: the tests' fast tier hosts one
/// service in the test process (<c>WebApplicationFactory</c>) over these servers, without booting the rest.
/// </summary>
public static class InfrastructureOnly
{
    /// <summary>The configuration key that asks for it: <c>--Infrastructure:Only=true</c>.</summary>
    public const string ConfigurationKey = "Infrastructure:Only";

    /// <summary>Whether this run adds the infrastructure alone (never when publishing manifests).</summary>
    public static bool IsInfrastructureOnly(this IDistributedApplicationBuilder builder) =>
        !builder.ExecutionContext.IsPublishMode && builder.Configuration.GetValue<bool>(ConfigurationKey);
}
