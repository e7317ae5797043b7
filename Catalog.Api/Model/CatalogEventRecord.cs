using QuestAspire.EventBus;

namespace QuestAspire.Catalog.Api.Model;

/// <summary>
/// One catalog event in the append-only event store, keyed by its catalog version. The read
/// model is projected from these in version order.
/// </summary>
public sealed class CatalogEventRecord
{
    public long Version { get; init; }

    public Guid EventId { get; init; }

    public required string EventType { get; init; }

    public Guid UserId { get; init; }

    /// <summary>The event's <c>data</c> as JSON (<c>{ catalog_version, quest|reward }</c>).</summary>
    public required string Data { get; init; }

    public DateTimeOffset OccurredAt { get; init; }

    public static CatalogEventRecord From(long version, IntegrationEvent integrationEvent) => new()
    {
        Version = version,
        EventId = integrationEvent.EventId,
        EventType = integrationEvent.EventType,
        UserId = integrationEvent.UserId,
        Data = integrationEvent.Data.GetRawText(),
        OccurredAt = integrationEvent.OccurredAt,
    };
}

/// <summary>
/// A named counter in <c>catalog_state</c>: <see cref="Catalog"/> is the catalog version (bumped
/// by every write, whose row lock serialises the writers), <see cref="ReadModel"/> the version
/// the read model has been projected to.
/// </summary>
public sealed class CatalogCounter
{
    public const string Catalog = "catalog";
    public const string ReadModel = "read_model";

    public required string Name { get; init; }

    public long Version { get; set; }
}
