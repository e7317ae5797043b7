extern alias catalog;
extern alias worker;

using Microsoft.AspNetCore.Mvc.Testing;

namespace QuestAspire.Processing.Worker.ApiTests;

/// <summary>
/// Processing.Worker over processingdb and RabbitMQ (its events, its outbox, the catalog events and
/// the token revocations), and the Catalog.Api it loads its catalog copy from, in this process too.
/// Without a catalog the worker waits (it retries the load with backoff, reports <c>catalog-copy</c>
/// Degraded, answers progress and explain with 503 and sends events back to the retry queues), so a
/// worker alone could test little more than its 401s; a real Catalog.Api, started before it on the
/// same servers, gives it the seed quest over HTTP and every quest a test makes over RabbitMQ, as in
/// production, with no fake of either.
/// </summary>
public sealed class ProcessingWorkerFixture : ServiceFixture<worker::Program>
{
    private WebApplicationFactory<catalog::Program>? _catalog;

    protected override IReadOnlyList<string> ConnectionStringNames { get; } = [ResourceNames.ProcessingDb, ResourceNames.RabbitMQ];

    // The apps' key, as the AppHost gives it in test runs.
    protected override IEnumerable<KeyValuePair<string, string>> Settings() => [KeyValuePair.Create("Events:ServiceKey", TestAppHost.EventsServiceKey)];

    protected override async Task<IEnumerable<KeyValuePair<string, string>>> StartDependenciesAsync(CancellationToken cancellationToken)
    {
        _catalog = await StartKestrelAsync<catalog::Program>(
        [
            KeyValuePair.Create($"ConnectionStrings:{ResourceNames.CatalogDb}", await ConnectionStringAsync(ResourceNames.CatalogDb, cancellationToken)),
            KeyValuePair.Create($"ConnectionStrings:{ResourceNames.RabbitMQ}", await ConnectionStringAsync(ResourceNames.RabbitMQ, cancellationToken)),
            KeyValuePair.Create($"ConnectionStrings:{ResourceNames.Redis}", await ConnectionStringAsync(ResourceNames.Redis, cancellationToken)),
            KeyValuePair.Create("Jwt:SigningKey", SigningKey),
        ], cancellationToken);
        using var http = _catalog.CreateClient();
        return [KeyValuePair.Create("Catalog:BaseAddress", http.BaseAddress!.ToString())];
    }

    protected override async ValueTask DisposeDependenciesAsync()
    {
        if (_catalog is not null)
        {
            await _catalog.DisposeAsync();
        }
    }

    /// <summary>A client of the in-test Catalog.Api.</summary>
    public HttpClient CreateCatalogClient() =>
        (_catalog ?? throw new InvalidOperationException("Catalog.Api has not started.")).CreateClient();
}
