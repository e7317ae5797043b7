using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using QuestAspire.AppHost.Infrastructure;

namespace QuestAspire.IntegrationTests;

public sealed class PlatformTests(AppFixture fixture)
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task EveryResource_IsHealthy_InLocalProcessesMode()
    {
        var model = fixture.App.Services.GetRequiredService<DistributedApplicationModel>();
        Assert.IsType<LocalPostgresServerResource>(model.Resources.Single(r => r.Name == ResourceNames.Postgres));
        Assert.IsType<LocalRabbitMQServerResource>(model.Resources.Single(r => r.Name == ResourceNames.RabbitMQ));
        Assert.IsType<LocalRedisResource>(model.Resources.Single(r => r.Name == ResourceNames.Redis));

        string[] expected =
        [
            ResourceNames.Postgres, ResourceNames.AuthDb, ResourceNames.CatalogDb, ResourceNames.ProcessingDb,
            ResourceNames.RabbitMQ, ResourceNames.Redis,
            ResourceNames.AuthApi, ResourceNames.CatalogApi, ResourceNames.ProcessingWorker, ResourceNames.Web,
        ];
        var notifications = fixture.App.Services.GetRequiredService<ResourceNotificationService>();
        foreach (var name in expected)
        {
            // Answers at once for a healthy resource; a replicated one (processing-worker) is healthy per replica.
            var state = await notifications.WaitForResourceHealthyAsync(name, TestContext.Current.CancellationToken)
                .WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
            Assert.True(
                state.Snapshot.State?.Text == KnownResourceStates.Running && state.Snapshot.HealthStatus == HealthStatus.Healthy,
                $"{name} is {state.Snapshot.State?.Text}/{state.Snapshot.HealthStatus}; all: {TestAppHost.DescribeStates(fixture.App)}");
        }

        var worker = model.Resources.Single(r => r.Name == ResourceNames.ProcessingWorker);
        Assert.True(worker.TryGetLastAnnotation<ReplicaAnnotation>(out var replicas) && replicas.Replicas == 2, "processing-worker runs two replicas");
    }

    [Theory]
    [InlineData(ResourceNames.AuthApi, "AuthDbContext", "RabbitMQ.Client")]
    [InlineData(ResourceNames.CatalogApi, "CatalogDbContext", "StackExchange.Redis")]
    [InlineData(ResourceNames.CatalogApi, "CatalogDbContext", "RabbitMQ.Client")]
    [InlineData(ResourceNames.ProcessingWorker, "ProcessingDbContext", "RabbitMQ.Client")]
    public async Task Service_RoundTripsToItsInfrastructure(string service, string database, string other)
    {
        // Each entry of /health is a live round trip made by the service itself: EF Core opens a
        // connection and queries, RabbitMQ.Client opens a channel, StackExchange.Redis sends PING.
        using var http = fixture.App.CreateHttpClient(service);
        using var response = await http.GetAsync("/health", TestContext.Current.CancellationToken).WaitAsync(RequestTimeout, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{service} /health answered {(int)response.StatusCode}: {body}");

        using var report = JsonDocument.Parse(body);
        var entries = report.RootElement.GetProperty("entries");
        foreach (var check in new[] { database, other })
        {
            Assert.True(entries.TryGetProperty(check, out var entry), $"{service} has no '{check}' check: {body}");
            Assert.Equal("Healthy", entry.GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task Web_AnswersHealthAndHomePage()
    {
        using var http = fixture.App.CreateHttpClient(ResourceNames.Web);
        var health = await http.GetFromJsonAsync<JsonElement>("/health", TestContext.Current.CancellationToken).WaitAsync(RequestTimeout, TestContext.Current.CancellationToken);
        Assert.Equal("Healthy", health.GetProperty("status").GetString());

        var home = await http.GetStringAsync("/", TestContext.Current.CancellationToken).WaitAsync(RequestTimeout, TestContext.Current.CancellationToken);
        Assert.Contains("QuestAspire", home, StringComparison.Ordinal);
    }

    [Theory]
    // The shapes the container integrations give (AddPostgres/AddDatabase, AddRabbitMQ, AddRedis).
    [InlineData(ResourceNames.AuthApi, ResourceNames.AuthDb, @"^Host=localhost;Port=\d+;Username=postgres;Password=\w+;Database=authdb$")]
    [InlineData(ResourceNames.CatalogApi, ResourceNames.CatalogDb, @"^Host=localhost;Port=\d+;Username=postgres;Password=\w+;Database=catalogdb$")]
    [InlineData(ResourceNames.ProcessingWorker, ResourceNames.ProcessingDb, @"^Host=localhost;Port=\d+;Username=postgres;Password=\w+;Database=processingdb$")]
    [InlineData(ResourceNames.AuthApi, ResourceNames.RabbitMQ, @"^amqp://\w+:\w+@localhost:\d+$")]
    [InlineData(ResourceNames.ProcessingWorker, ResourceNames.RabbitMQ, @"^amqp://\w+:\w+@localhost:\d+$")]
    [InlineData(ResourceNames.CatalogApi, ResourceNames.RabbitMQ, @"^amqp://\w+:\w+@localhost:\d+$")]
    [InlineData(ResourceNames.CatalogApi, ResourceNames.Redis, @"^localhost:\d+,password=\w+,ssl=false$")]
    public async Task Service_GetsTheContainerModeConnectionString(string service, string connectionName, string shape)
    {
        // The environment the service process was started with, as the orchestrator reports it.
        var notifications = fixture.App.Services.GetRequiredService<ResourceNotificationService>();
        // Any instance of the service (processing-worker has two replicas, started alike).
        var state = await notifications.WaitForResourceAsync(service, e => !e.Snapshot.EnvironmentVariables.IsEmpty, TestContext.Current.CancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        var environment = state.Snapshot.EnvironmentVariables
            .Where(e => e.IsFromSpec && e.Value is not null)
            .ToDictionary(e => e.Name, e => e.Value!);

        Assert.True(environment.TryGetValue($"ConnectionStrings__{connectionName}", out var value),
            $"{service} has no ConnectionStrings__{connectionName}; it has {string.Join(", ", environment.Keys.Where(k => k.StartsWith("ConnectionStrings__", StringComparison.Ordinal)))}");
        Assert.Matches(new Regex(shape), value);
    }

    [Fact]
    public void Services_ReferenceOnlyWhatTheyUse()
    {
        var model = fixture.App.Services.GetRequiredService<DistributedApplicationModel>();
        string[] References(string name) =>
        [.. model.Resources.Single(r => r.Name == name).Annotations.OfType<ResourceRelationshipAnnotation>()
            .Where(a => a.Type == "Reference" && a.Resource is not ParameterResource).Select(a => a.Resource.Name).Distinct().Order()];

        // Catalog publishes its changes (QuestChanged, RewardChanged) through its outbox.
        Assert.Equal([ResourceNames.CatalogDb, ResourceNames.RabbitMQ, ResourceNames.Redis], References(ResourceNames.CatalogApi));
        // Auth needs nothing of Catalog: a QuestCompleted carries the reward it pays.
        Assert.Equal([ResourceNames.AuthDb, ResourceNames.RabbitMQ], References(ResourceNames.AuthApi));
        Assert.Equal([ResourceNames.CatalogApi, ResourceNames.ProcessingDb, ResourceNames.RabbitMQ], References(ResourceNames.ProcessingWorker));
        // No broker for the Web: it hears of progress from the worker's progress stream.
        Assert.Equal([ResourceNames.AuthApi, ResourceNames.CatalogApi, ResourceNames.ProcessingWorker], References(ResourceNames.Web));
    }
}
