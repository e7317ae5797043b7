using System.Diagnostics;
using Microsoft.EntityFrameworkCore;

namespace QuestAspire.ServiceDefaults.Messaging;

/// <summary>
/// An event waiting to be published, written in the same transaction as the change it reports.
/// It keeps the trace context of the request that wrote it, so the relay publishes it inside that trace.
/// </summary>
public sealed class OutboxMessage
{
    public Guid Id { get; private set; }

    public string EventType { get; private set; } = "";

    public byte[] Payload { get; private set; } = [];

    public string? TraceParent { get; private set; }

    public string? TraceState { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? SentAt { get; private set; }

    public static OutboxMessage Create(IntegrationEvent integrationEvent, DateTimeOffset createdAt)
    {
        var activity = Activity.Current;
        return new OutboxMessage
        {
            Id = integrationEvent.EventId,
            EventType = integrationEvent.EventType,
            Payload = integrationEvent.Serialize(),
            TraceParent = activity?.Id,
            TraceState = activity?.TraceStateString,
            CreatedAt = createdAt,
        };
    }

    public ActivityContext ParentContext =>
        TraceParent is not null && ActivityContext.TryParse(TraceParent, TraceState, out var context) ? context : default;
}

/// <summary>A DbContext that carries an outbox.</summary>
public interface IOutboxDbContext
{
    DbSet<OutboxMessage> OutboxMessages { get; }
}

public static class OutboxModelBuilderExtensions
{
    /// <summary>Maps the outbox table (<c>outbox_messages</c>), indexed for the relay's "oldest unsent first".</summary>
    public static ModelBuilder AddOutbox(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OutboxMessage>(entity =>
        {
            entity.ToTable("outbox_messages");
            entity.HasKey(m => m.Id);
            entity.Property(m => m.Id).HasColumnName("id").ValueGeneratedNever();
            entity.Property(m => m.EventType).HasColumnName("event_type").HasMaxLength(100);
            entity.Property(m => m.Payload).HasColumnName("payload");
            entity.Property(m => m.TraceParent).HasColumnName("trace_parent").HasMaxLength(100);
            entity.Property(m => m.TraceState).HasColumnName("trace_state").HasMaxLength(512);
            entity.Property(m => m.CreatedAt).HasColumnName("created_at");
            entity.Property(m => m.SentAt).HasColumnName("sent_at");
            entity.HasIndex(m => m.CreatedAt).HasDatabaseName("ix_outbox_messages_unsent").HasFilter("sent_at IS NULL");
        });
        return modelBuilder;
    }

    /// <summary>
    /// Adds outbox rows with one statement (arrays unnested server-side), not tracked: for a batch
    /// handler writing one per event, EF's change tracking cost more than the insert itself.
    /// A message whose id is already in the outbox is a unique violation, or with
    /// <paramref name="skipExisting"/> is skipped; returns how many were added.
    /// </summary>
    public static async Task<int> InsertOutboxMessagesAsync(this DbContext db, IReadOnlyCollection<OutboxMessage> messages, CancellationToken cancellationToken, bool skipExisting = false)
    {
        if (messages.Count == 0)
        {
            return 0;
        }

        var ids = messages.Select(m => m.Id).ToArray();
        var types = messages.Select(m => m.EventType).ToArray();
        var payloads = messages.Select(m => m.Payload).ToArray();
        var parents = messages.Select(m => m.TraceParent).ToArray();
        var states = messages.Select(m => m.TraceState).ToArray();
        var created = messages.Select(m => m.CreatedAt).ToArray();
        return skipExisting
            ? await db.Database.ExecuteSqlAsync($"""
                INSERT INTO outbox_messages (id, event_type, payload, trace_parent, trace_state, created_at)
                SELECT * FROM unnest({ids}, {types}, {payloads}::bytea[], {parents}::text[], {states}::text[], {created})
                ON CONFLICT (id) DO NOTHING
                """, cancellationToken)
            : await db.Database.ExecuteSqlAsync($"""
                INSERT INTO outbox_messages (id, event_type, payload, trace_parent, trace_state, created_at)
                SELECT * FROM unnest({ids}, {types}, {payloads}::bytea[], {parents}::text[], {states}::text[], {created})
                """, cancellationToken);
    }
}
