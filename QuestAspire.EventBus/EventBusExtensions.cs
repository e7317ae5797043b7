using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace QuestAspire.EventBus;

public static class EventBusExtensions
{
    /// <summary>
    /// Consumes <paramref name="queue"/>, subscribed to <paramref name="eventTypes"/> (each service
    /// declares its own subscriptions here), and hands its events to <typeparamref name="THandler"/>.
    /// The queue's options can be overridden in configuration under <c>Messaging:{queue}</c>.
    /// </summary>
    public static IHostApplicationBuilder AddEventConsumer<THandler>(
        this IHostApplicationBuilder builder, string queue, IReadOnlyCollection<string> eventTypes, Action<EventConsumerOptions>? configure = null)
        where THandler : class, IIntegrationEventHandler
    {
        if (eventTypes.Count == 0)
        {
            throw new ArgumentException($"The consumer of '{queue}' subscribes to no event type.", nameof(eventTypes));
        }

        builder.AddEventPublisher(); // dead-lettering and retries publish
        builder.Services.AddScoped<THandler>();
        builder.Services.AddOptions<EventConsumerOptions>(EventConsumerOptions.NameFor<THandler>())
            .Configure(options =>
            {
                options.Queue = queue;
                options.EventTypes = [.. eventTypes];
                configure?.Invoke(options);
            })
            .BindConfiguration($"Messaging:{queue}");
        var declared = new EventConsumerOptions { Queue = queue, EventTypes = [.. eventTypes] };
        configure?.Invoke(declared);
        builder.Services.AddSingleton(new ConsumedQueue(queue, declared.Broadcast));
        builder.Services.TryAddSingleton<DeadLetterService>();
        builder.Services.AddHostedService<QueueDepthMonitor>(); // once per service: hosted services are added with TryAddEnumerable

        builder.Services.AddHostedService<EventConsumer<THandler>>();
        return builder;
    }

    /// <summary>
    /// Keeps the <see cref="SecurityStamps"/> that JWT validation checks up to date from the
    /// <c>security-stamps</c> stream (<see cref="SecurityStampFeed"/>): every API that validates
    /// tokens adds it, after its RabbitMQ client.
    /// </summary>
    public static IHostApplicationBuilder AddTokenRevocationFeed(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<SecurityStamps>();
        builder.Services.AddSingleton<SecurityStampFeed>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SecurityStampFeed>());
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            "token-revocations", sp => sp.GetRequiredService<SecurityStampFeed>(), failureStatus: null, tags: null));
        return builder;
    }

    /// <summary>
    /// The publisher (and its telemetry) that the outbox relay, retries and dead-lettering use. It
    /// reports on the service's own source and meter: AddServiceTelemetry comes first.
    /// </summary>
    public static void AddEventPublisher(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<EventPublisher>();
        builder.Services.TryAddSingleton<MessagingTelemetry>();
    }
}
