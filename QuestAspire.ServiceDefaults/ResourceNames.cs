namespace QuestAspire;

/// <summary>
/// The names of the application model's resources. The AppHost declares them; services and
/// tests use the same constants for connection strings, service discovery and lookups.
/// </summary>
public static class ResourceNames
{
    public const string Postgres = "postgres";
    public const string AuthDb = "authdb";
    public const string CatalogDb = "catalogdb";
    public const string ProcessingDb = "processingdb";
    public const string RabbitMQ = "rabbitmq";
    public const string Redis = "redis";

    public const string AuthApi = "auth-api";
    public const string CatalogApi = "catalog-api";
    public const string ProcessingWorker = "processing-worker";
    public const string Web = "web";

    public const string JwtSigningKey = "jwt-signing-key";
    public const string AdminPassword = "admin-password";

    /// <summary>The key apps send in <c>X-Service-Key</c> to report any player's events to the worker.</summary>
    public const string EventsServiceKey = "events-service-key";
}
