extern alias catalog;

namespace QuestAspire.Catalog.Api.ApiTests;

/// <summary>Catalog.Api over catalogdb, RabbitMQ (its outbox and the token revocations) and Redis (its read cache).</summary>
public sealed class CatalogApiFixture : ServiceFixture<catalog::Program>
{
    protected override IReadOnlyList<string> ConnectionStringNames { get; } = [ResourceNames.CatalogDb, ResourceNames.RabbitMQ, ResourceNames.Redis];
}
