using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace QuestAspire.ServiceDefaults.Telemetry;

/// <summary>
/// The one <see cref="ActivitySource"/> and the one <see cref="Meter"/> of a service, both named
/// <c>QuestAspire.{Service}</c>. The shared building blocks (outbox relay, event consumer) record
/// on them too, so everything a service reports is found under its own name in the dashboard.
/// </summary>
public sealed class ServiceTelemetry : IDisposable
{
    public ServiceTelemetry(string name, IMeterFactory meterFactory)
    {
        if (!name.StartsWith(Extensions.TelemetryPrefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' must start with '{Extensions.TelemetryPrefix}', which ServiceDefaults exports.", nameof(name));
        }

        Name = name;
        ActivitySource = new ActivitySource(name);
        Meter = meterFactory.Create(name);
    }

    public string Name { get; }

    public ActivitySource ActivitySource { get; }

    /// <summary>Owned by the meter factory, which disposes it with the container.</summary>
    public Meter Meter { get; }

    public void Dispose() => ActivitySource.Dispose();
}

public static class ServiceTelemetryExtensions
{
    /// <summary>Registers the service's <see cref="ServiceTelemetry"/>: <c>QuestAspire.</c> followed by <paramref name="service"/>.</summary>
    public static IHostApplicationBuilder AddServiceTelemetry(this IHostApplicationBuilder builder, string service)
    {
        builder.Services.TryAddSingleton(sp => new ServiceTelemetry(Extensions.TelemetryPrefix + service, sp.GetRequiredService<IMeterFactory>()));
        return builder;
    }
}
