using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace QuestAspire.ServiceDefaults.Messaging;

public static class MessagingExtensions
{
    /// <summary>
    /// Adds the transactional outbox of <typeparamref name="TContext"/>: rows written with the
    /// change they report are published by a relay with publisher confirms.
    /// </summary>
    public static IHostApplicationBuilder AddOutbox<TContext>(this IHostApplicationBuilder builder)
        where TContext : DbContext, IOutboxDbContext
    {
        builder.AddEventPublisher();
        builder.Services.TryAddSingleton<OutboxSignal>();
        builder.Services.AddHostedService<OutboxRelay<TContext>>();
        return builder;
    }

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

    // Messaging reports on the service's own source and meter: AddServiceTelemetry comes first.
    private static void AddEventPublisher(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<EventPublisher>();
        builder.Services.TryAddSingleton<MessagingTelemetry>();
    }
}
