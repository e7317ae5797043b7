using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace QuestAspire.Data;

public static class OutboxExtensions
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
}
