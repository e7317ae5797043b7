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

    /// <summary>Consumes <paramref name="queue"/> and hands its events to <typeparamref name="THandler"/>.</summary>
    public static IHostApplicationBuilder AddEventConsumer<THandler>(
        this IHostApplicationBuilder builder, string queue, Action<EventConsumerOptions>? configure = null)
        where THandler : class, IIntegrationEventHandler
    {
        if (!MessagingNames.Subscriptions.ContainsKey(queue))
        {
            throw new ArgumentException($"'{queue}' has no subscriptions in {nameof(MessagingNames)}.", nameof(queue));
        }

        builder.AddEventPublisher(); // dead-lettering publishes
        builder.Services.AddScoped<THandler>();
        builder.Services.AddOptions<EventConsumerOptions>()
            .Configure(options =>
            {
                options.Queue = queue;
                configure?.Invoke(options);
            })
            .BindConfiguration($"Messaging:{queue}");
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
