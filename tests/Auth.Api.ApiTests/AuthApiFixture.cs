extern alias auth;

namespace QuestAspire.Auth.Api.ApiTests;

/// <summary>Auth.Api over authdb and RabbitMQ (its outbox, the QuestCompleted consumer and the token revocations).</summary>
public sealed class AuthApiFixture : ServiceFixture<auth::Program>
{
    protected override IReadOnlyList<string> ConnectionStringNames { get; } = [ResourceNames.AuthDb, ResourceNames.RabbitMQ];

    // The seeded admin's password, as the AppHost gives it in test runs.
    protected override IEnumerable<KeyValuePair<string, string>> Settings() => [KeyValuePair.Create("Auth:AdminPassword", TestAppHost.AdminPassword)];

    /// <summary>A client of this Auth.Api alone.</summary>
    public QuestApiClient CreateApiClient() => new(CreateClient());
}
