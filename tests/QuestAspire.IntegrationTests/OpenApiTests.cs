using System.Net;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace QuestAspire.IntegrationTests;

/// <summary>
/// The OpenAPI document each service publishes at <c>/openapi/v1.json</c>, read from the running
/// system: every endpoint is in it with its status codes, summary and auth requirement, and the
/// Web's contract records use the names the documents' schemas do.
/// </summary>
public sealed class OpenApiTests(AppFixture fixture)
{
    private const string DocumentPath = "/openapi/v1.json";
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private enum Access
    {
        Anyone,
        Player,
        Admin,
    }

    private sealed record Operation(string Method, string Path, Access Access, params int[] Statuses);

    // Every endpoint each service maps, with the statuses it answers. An endpoint added to a
    // service belongs here too: the test fails for one the document has and this list lacks.
    private static readonly Dictionary<string, Operation[]> Expected = new()
    {
        [ResourceNames.AuthApi] =
        [
            new("POST", "/login/access-token", Access.Anyone, 200, 400, 403, 415, 429, 503),
            new("POST", "/users/signup", Access.Anyone, 201, 400, 409, 429, 503),
            new("GET", "/users/me", Access.Player, 200, 401, 404),
            new("GET", "/users/me/claims", Access.Player, 200, 401),
            new("POST", "/users/me/claims/{claimId}/claim", Access.Player, 200, 400, 401, 404, 409, 422),
            new("GET", "/users/me/wallet", Access.Player, 200, 304, 401, 404),
            new("GET", "/users/me/wallet/ledger", Access.Player, 200, 400, 401),
            new("POST", "/users/me/wallet/spend", Access.Player, 200, 400, 401, 404, 409, 412, 422),
            new("PUT", "/users/me/password", Access.Player, 204, 400, 401, 404, 503),
            new("PUT", "/users/me/time-zone", Access.Player, 204, 400, 401, 404),
            new("POST", "/users/{userId}/ban", Access.Admin, 200, 401, 403, 404),
            new("POST", "/users/{userId}/unban", Access.Admin, 200, 401, 403, 404),
            new("POST", "/admin/users", Access.Admin, 201, 400, 401, 403, 409),
            new("GET", "/admin/users", Access.Admin, 200, 400, 401, 403),
            new("GET", "/admin/users/{userId}/wallet", Access.Admin, 200, 304, 401, 403, 404),
            new("GET", "/admin/users/{userId}/wallet/ledger", Access.Admin, 200, 400, 401, 403),
            new("POST", "/admin/users/{userId}/wallet/adjust", Access.Admin, 200, 400, 401, 403, 404, 409, 412, 422),
            new("POST", "/admin/users/{userId}/wallet/refund", Access.Admin, 200, 400, 401, 403, 404, 409, 422),
            new("GET", "/admin/wallets/verify", Access.Admin, 200, 401, 403),
            new("GET", "/api/admin/dead-letters", Access.Admin, 200, 401, 403),
            new("POST", "/api/admin/dead-letters/replay", Access.Admin, 200, 401, 403, 404),
        ],
        [ResourceNames.CatalogApi] =
        [
            new("GET", "/api/quests", Access.Anyone, 200),
            new("GET", "/api/quests/{id}", Access.Anyone, 200, 404),
            new("GET", "/api/quests/by-name/{name}", Access.Anyone, 200, 404),
            new("POST", "/api/quests", Access.Admin, 201, 400, 401, 403, 409),
            new("PUT", "/api/quests/{id}", Access.Admin, 200, 400, 401, 403, 404, 409),
            new("POST", "/api/quests/{id}/deactivate", Access.Admin, 200, 401, 403, 404),
            new("POST", "/api/quests/{id}/activate", Access.Admin, 200, 401, 403, 404),
            new("GET", "/api/rewards", Access.Anyone, 200),
            new("GET", "/api/rewards/{id}", Access.Anyone, 200, 404),
            new("POST", "/api/rewards", Access.Admin, 201, 400, 401, 403, 409),
            new("PUT", "/api/rewards/{id}", Access.Admin, 200, 400, 401, 403, 404, 409),
            new("POST", "/api/rewards/{id}/deactivate", Access.Admin, 200, 401, 403, 404),
            new("POST", "/api/rewards/{id}/activate", Access.Admin, 200, 401, 403, 404),
            new("POST", "/api/admin/read-model/rebuild", Access.Admin, 200, 401, 403),
        ],
        [ResourceNames.ProcessingWorker] =
        [
            // A player's bearer token or the apps' service key: both are documented, neither is RequireAuthorization.
            new("POST", "/api/events", Access.Player, 202, 400, 401, 403, 422),
            new("GET", "/api/users/{id}/progress", Access.Player, 200, 401, 403, 503),
            new("GET", "/api/users/{id}/progress/stream", Access.Player, 200, 401, 403),
            new("GET", "/api/users/{id}/events", Access.Player, 200, 400, 401, 403),
            new("GET", "/api/users/{id}/quests/{questId}/explain", Access.Player, 200, 401, 403, 404, 503),
            new("POST", "/api/admin/backtest", Access.Admin, 200, 400, 401, 403),
            new("POST", "/api/admin/progress/rebuild", Access.Admin, 202, 401, 403),
            new("GET", "/api/admin/progress/rebuild/{rebuildId}", Access.Admin, 200, 401, 403, 404),
            new("GET", "/api/admin/dead-letters", Access.Admin, 200, 401, 403),
            new("POST", "/api/admin/dead-letters/replay", Access.Admin, 200, 401, 403, 404),
        ],
    };

    // Each Web record that reads or writes a service's JSON, and the schema it corresponds to.
    private static readonly (string Service, string WebRecord, string Schema)[] WebContracts =
    [
        (ResourceNames.AuthApi, "TokenResponse", "TokenResponse"),
        (ResourceNames.AuthApi, "UserProfile", "UserResponse"),
        (ResourceNames.AuthApi, "Wallet", "WalletResponse"),
        (ResourceNames.AuthApi, "RewardClaim", "ClaimResponse"),
        (ResourceNames.AuthApi, "ClaimResult", "ClaimResultResponse"),
        (ResourceNames.AuthApi, "SignUpRequest", "SignUpRequest"),
        (ResourceNames.AuthApi, "TimeZoneRequest", "TimeZoneRequest"),
        (ResourceNames.AuthApi, "WalletBalance", "WalletResponse"),
        (ResourceNames.AuthApi, "LedgerEntry", "LedgerEntryResponse"),
        (ResourceNames.AuthApi, "LedgerPage", "LedgerPageResponse"),
        (ResourceNames.AuthApi, "SpendRequest", "SpendRequest"),
        (ResourceNames.AuthApi, "AdjustWalletRequest", "AdjustRequest"),
        (ResourceNames.AuthApi, "RefundRequest", "RefundRequest"),
        (ResourceNames.AuthApi, "WalletChange", "WalletChangeResponse"),
        (ResourceNames.AuthApi, "WalletVerification", "WalletVerificationResponse"),
        (ResourceNames.AuthApi, "WalletMismatch", "WalletMismatchResponse"),
        (ResourceNames.CatalogApi, "Reward", "RewardResponse"),
        (ResourceNames.CatalogApi, "Quest", "QuestResponse"),
        (ResourceNames.CatalogApi, "QuestRequest", "QuestRequest"),
        (ResourceNames.CatalogApi, "RewardRequest", "RewardRequest"),
        (ResourceNames.ProcessingWorker, "QuestProgress", "QuestProgressResponse"),
        (ResourceNames.ProcessingWorker, "QuestReference", "QuestReference"),
        (ResourceNames.ProcessingWorker, "ActivityEvent", "EventResponse"),
        (ResourceNames.ProcessingWorker, "EventPage", "PagedResponseOfEventResponse"),
        (ResourceNames.ProcessingWorker, "QuestExplanation", "ExplainResponse"),
        (ResourceNames.ProcessingWorker, "ExplainedEvent", "ExplainedEvent"),
        (ResourceNames.ProcessingWorker, "BacktestRequest", "BacktestRequest"),
        (ResourceNames.ProcessingWorker, "DraftQuest", "DraftQuest"),
        (ResourceNames.ProcessingWorker, "DraftReward", "DraftReward"),
        (ResourceNames.ProcessingWorker, "BacktestResult", "BacktestResponse"),
        (ResourceNames.ProcessingWorker, "RewardTotals", "RewardTotals"),
        (ResourceNames.ProcessingWorker, "BacktestDay", "BacktestDay"),
        (ResourceNames.ProcessingWorker, "RebuildStarted", "RebuildStarted"),
        (ResourceNames.ProcessingWorker, "RebuildStatus", "RebuildResponse"),
    ];

    private static readonly string[] Services = [ResourceNames.AuthApi, ResourceNames.CatalogApi, ResourceNames.ProcessingWorker];

    [Theory]
    [InlineData(ResourceNames.AuthApi)]
    [InlineData(ResourceNames.CatalogApi)]
    [InlineData(ResourceNames.ProcessingWorker)]
    public async Task Document_ListsEveryEndpoint_WithItsStatusesSummaryAndAuth(string service)
    {
        var document = await GetDocumentAsync(service);

        Assert.StartsWith("3.", document["openapi"]?.GetValue<string>() ?? "", StringComparison.Ordinal);
        var operations = Operations(document);
        var problems = new List<string>();
        foreach (var expected in Expected[service])
        {
            if (!operations.TryGetValue((expected.Method, expected.Path), out var operation))
            {
                problems.Add($"{expected.Method} {expected.Path} is missing");
                continue;
            }

            var statuses = operation["responses"]?.AsObject().Select(r => r.Key).ToHashSet() ?? [];
            if (expected.Statuses.Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture)).Where(s => !statuses.Contains(s)).ToList() is { Count: > 0 } missing)
            {
                problems.Add($"{expected.Method} {expected.Path} lacks status {string.Join(", ", missing)} (has {string.Join(", ", statuses.Order())})");
            }

            var secured = operation["security"] is JsonArray { Count: > 0 };
            if (secured != (expected.Access != Access.Anyone))
            {
                problems.Add($"{expected.Method} {expected.Path} {(secured ? "has" : "lacks")} a security requirement");
            }

            if (expected.Access == Access.Admin && operation["description"]?.GetValue<string>()?.Contains("admin role", StringComparison.Ordinal) != true)
            {
                problems.Add($"{expected.Method} {expected.Path} does not say it needs the admin role");
            }
        }

        foreach (var ((method, path), operation) in operations)
        {
            if (!Expected[service].Any(e => e.Method == method && e.Path == path))
            {
                problems.Add($"{method} {path} is in the document but not in this test's list");
            }

            if (string.IsNullOrWhiteSpace(operation["summary"]?.GetValue<string>()))
            {
                problems.Add($"{method} {path} has no summary");
            }
        }

        Assert.True(problems.Count == 0, $"{service}'s OpenAPI document:\n{string.Join("\n", problems)}");
        Assert.True(document["components"]?["securitySchemes"]?["Bearer"] is JsonObject, $"{service}'s document has no Bearer security scheme");
        // Health and metrics are probes and scrapes, not API: they stay out of the document.
        Assert.DoesNotContain(operations.Keys, k => k.Path is "/health" or "/alive" or "/metrics");
    }

    [Fact]
    public async Task WebContracts_UseTheNamesOfTheServicesSchemas()
    {
        var documents = new Dictionary<string, JsonNode>();
        foreach (var service in Services)
        {
            documents[service] = await GetDocumentAsync(service);
        }

        var web = LoadWebAssembly(fixture.App);
        var problems = new List<string>();
        foreach (var (service, record, schemaName) in WebContracts)
        {
            var type = web.GetType($"QuestAspire.Web.Contracts.{record}");
            if (type is null)
            {
                problems.Add($"the Web has no contract record {record}");
                continue;
            }

            if (documents[service]["components"]?["schemas"]?[schemaName]?["properties"] is not JsonObject properties)
            {
                problems.Add($"{service}'s document has no schema {schemaName} (for the Web's {record})");
                continue;
            }

            foreach (var name in WireNames(type).Where(n => !properties.ContainsKey(n)))
            {
                problems.Add($"the Web's {record}.{name} is not in {service}'s {schemaName} (has {string.Join(", ", properties.Select(p => p.Key))})");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [InlineData(ResourceNames.AuthApi)]
    [InlineData(ResourceNames.CatalogApi)]
    [InlineData(ResourceNames.ProcessingWorker)]
    public async Task Dashboard_LinksTheServicesApiReferenceAndDocument(string service)
    {
        var notifications = fixture.App.Services.GetRequiredService<ResourceNotificationService>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        timeout.CancelAfter(RequestTimeout);
        IReadOnlyList<string> seen = [];
        try
        {
            await notifications.WaitForResourceAsync(service, e =>
            {
                seen = [.. e.Snapshot.Urls.Select(u => $"{u.DisplayProperties.DisplayName}={u.Url}")];
                return seen.Any(u => u.StartsWith("API reference=", StringComparison.Ordinal) && u.EndsWith("/scalar", StringComparison.Ordinal))
                    && seen.Any(u => u.StartsWith("OpenAPI document=", StringComparison.Ordinal) && u.EndsWith(DocumentPath, StringComparison.Ordinal));
            }, timeout.Token);
        }
        catch (OperationCanceledException) when (!Cancellation.IsCancellationRequested)
        {
            Assert.Fail($"{service}'s dashboard links are {string.Join(", ", seen)}");
        }
    }

    [Fact]
    public async Task Document_UsesTheSnakeCaseNamesOfTheWire()
    {
        var document = await GetDocumentAsync(ResourceNames.AuthApi);

        var token = document["components"]?["schemas"]?["TokenResponse"]?["properties"]?.AsObject();
        Assert.NotNull(token);
        Assert.Equal(["access_token", "token_type", "expires_in"], token.Select(p => p.Key));
    }

    private async Task<JsonNode> GetDocumentAsync(string service)
    {
        using var http = fixture.App.CreateHttpClient(service);
        http.Timeout = RequestTimeout;
        using var response = await http.GetAsync(DocumentPath, Cancellation);
        var body = await response.Content.ReadAsStringAsync(Cancellation);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {service}{DocumentPath} answered {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body) ?? throw new InvalidOperationException($"{service}{DocumentPath} is empty");
    }

    private static Dictionary<(string Method, string Path), JsonNode> Operations(JsonNode document)
    {
        var operations = new Dictionary<(string, string), JsonNode>();
        foreach (var (path, item) in document["paths"]?.AsObject() ?? [])
        {
            foreach (var (method, operation) in item?.AsObject() ?? [])
            {
                if (operation is JsonObject && method is not ("parameters" or "servers" or "summary" or "description"))
                {
                    operations[(method.ToUpperInvariant(), path)] = operation;
                }
            }
        }

        return operations;
    }

    // The names a record has on the wire: its settable properties (positional ones included) in
    // snake_case, or the name a [JsonPropertyName] gives. Computed properties (PageCount) are not sent.
    private static IEnumerable<string> WireNames(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is not null && p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name));

    // Read by reflection rather than referenced: a reference to Web would bring in ServiceDefaults,
    // whose linked ResourceNames would clash with the AppHost's. The AppHost's build has built it.
    private static Assembly LoadWebAssembly(DistributedApplication app)
    {
        var configuration = typeof(OpenApiTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var web = app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ProjectResource>().Single(r => r.Name == ResourceNames.Web);
        var projectDirectory = Path.GetDirectoryName(web.GetProjectMetadata().ProjectPath)!;
        var path = Path.Combine(projectDirectory, "bin", configuration, "net10.0", "Web.dll");
        Assert.True(File.Exists(path), $"The Web's assembly is not at {path}: build the solution first.");
        return Assembly.LoadFrom(path);
    }
}
