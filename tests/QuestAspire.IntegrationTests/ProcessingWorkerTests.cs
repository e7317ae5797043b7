using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace QuestAspire.IntegrationTests;

/// <summary>
/// Processing.Worker against the running AppHost: events are published straight to RabbitMQ,
/// results read from its database and its read API. Every test uses users of its own.
/// </summary>
public sealed class ProcessingWorkerTests(AppFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan ProcessingTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private IConnection? _rabbit;
    private NpgsqlDataSource? _database;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IConnection Rabbit => _rabbit ?? throw new InvalidOperationException("Not initialized.");

    private NpgsqlDataSource Database => _database ?? throw new InvalidOperationException("Not initialized.");

    public async ValueTask InitializeAsync()
    {
        var rabbitConnectionString = await fixture.App.GetConnectionStringAsync(ResourceNames.RabbitMQ, Ct).AsTask().WaitAsync(RequestTimeout, Ct)
            ?? throw new InvalidOperationException("rabbitmq has no connection string.");
        _rabbit = await new ConnectionFactory { Uri = new Uri(rabbitConnectionString) }.CreateConnectionAsync(Ct).WaitAsync(RequestTimeout, Ct);

        var databaseConnectionString = await fixture.App.GetConnectionStringAsync(ResourceNames.ProcessingDb, Ct).AsTask().WaitAsync(RequestTimeout, Ct)
            ?? throw new InvalidOperationException("processingdb has no connection string.");
        _database = NpgsqlDataSource.Create(databaseConnectionString);

        // The worker declares the topology when its consumer starts, just after it reports healthy.
        await EventuallyAsync("the processing-events queue to exist", QueueExistsAsync, exists => exists);
    }

    public async ValueTask DisposeAsync()
    {
        if (_rabbit is not null)
        {
            await _rabbit.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(6, 2)]
    [InlineData(9, 2)]
    public async Task SignIns_CountTowardTheSeedQuest_UpToItsDuplication(int signIns, int completions)
    {
        var quest = await SeedQuestAsync();
        var user = Guid.NewGuid();

        await PublishSignInsAsync(user, signIns);

        var state = await WaitForSignInsAsync(user, quest, signIns);
        Assert.True(state.Completions == completions && state.CompletionNumbers.SequenceEqual(Enumerable.Range(1, completions)),
            $"{signIns} sign-ins should complete {quest.Name} {completions} time(s); saw {state}");
        Assert.True(state.Progress == (0, completions), $"progress row after {signIns} sign-ins: {state}");
        Assert.True(state.LoggedEvents == signIns + state.AllCompletions, $"the log should hold every sign-in and completion once: {state}");

        // QuestCompleted leaves through the outbox: each row is published (confirmed) and marked sent.
        var outbox = await EventuallyAsync($"the {completions} QuestCompleted outbox row(s) of {user} to be sent",
            () => OutboxAsync(user), o => o.Sent == o.Total && o.Total == state.AllCompletions);
        Assert.Equal(state.AllCompletions, outbox.Total);
    }

    [Fact]
    public async Task QuestCompleted_IsRelayedInTheTraceOfTheSignInThatCompletedIt()
    {
        var quest = await SeedQuestAsync();
        var user = Guid.NewGuid();
        var traceId = ActivityTraceId.CreateRandom();
        var start = DateTimeOffset.UtcNow;

        // Two worker replicas may handle events in either order: the traced sign-in goes last,
        // once the first two are counted, so it is the one that completes the quest.
        await PublishAsync(
            SignIn(user, Guid.NewGuid(), EventWire.NewUserSignIn, start),
            SignIn(user, Guid.NewGuid(), EventWire.UserSignIn, start.AddSeconds(1)));
        await WaitForSignInsAsync(user, quest, 2);
        await PublishAsync(
            SignIn(user, Guid.NewGuid(), EventWire.UserSignIn, start.AddSeconds(2)) with { TraceParent = $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01" });

        await WaitForSignInsAsync(user, quest, 3);
        var outbox = await EventuallyAsync($"the QuestCompleted outbox row of {user} to be sent", () => OutboxAsync(user), o => o is { Total: 1, Sent: 1 });
        Assert.True(outbox.TraceParents.Single()?.Contains(traceId.ToString(), StringComparison.Ordinal) == true,
            $"the outbox row should continue trace {traceId}: {outbox}");
    }

    [Fact]
    public async Task SameEvent_DeliveredTwice_IsStoredAndCountedOnce()
    {
        var quest = await SeedQuestAsync();
        var user = Guid.NewGuid();
        var start = DateTimeOffset.UtcNow;
        var first = SignIn(user, Guid.NewGuid(), EventWire.NewUserSignIn, start);
        var second = SignIn(user, Guid.NewGuid(), EventWire.UserSignIn, start.AddSeconds(1));
        var third = SignIn(user, Guid.NewGuid(), EventWire.UserSignIn, start.AddSeconds(2));
        var sentinel = SignIn(user, Guid.NewGuid(), EventWire.UserSignIn, start.AddSeconds(3));

        // Twice in a row (one batch, most likely), then again after it was committed.
        await PublishAsync(first, first, second);
        await WaitForSignInsAsync(user, quest, 2);
        await PublishAsync(first, second, third);
        await WaitForSignInsAsync(user, quest, 3);

        // A fourth sign-in of the same player, queued behind the repeats: once it is counted, a
        // repeat counted again would show as one progress step too many.
        await PublishAsync(sentinel);
        var state = await WaitForSignInsAsync(user, quest, 4);
        Assert.True(state is { SignIns: 4, Completions: 1, Progress: (1, 1) }, $"3 distinct sign-ins, each delivered twice, then one more: {state}");
    }

    [Fact]
    public async Task FiftyParallelSignIns_ForOneUser_GiveExactCounts()
    {
        var quest = await SeedQuestAsync();
        var user = Guid.NewGuid();
        var start = DateTimeOffset.UtcNow;
        var events = Enumerable.Range(0, 50).Select(i => (Id: Guid.NewGuid(), At: start.AddMilliseconds(i))).ToList();

        // Five publishers at once, ten events each.
        await Task.WhenAll(events.Chunk(10).Select(chunk =>
            PublishAsync([.. chunk.Select(e => SignIn(user, e.Id, EventWire.UserSignIn, e.At))])));

        var state = await WaitForSignInsAsync(user, quest, 50);
        Assert.True(state is { Completions: 2, Progress: (0, 2) }, $"50 sign-ins reach the limit of 2 completions: {state}");
        var logged = await SignInIdsAsync(user);
        Assert.Equal(events.Select(e => e.Id).Order(), logged.Order());
    }

    [Fact]
    public async Task SignIn_WithANonUtcTimestamp_IsRecordedAtTheSameInstant()
    {
        var quest = await SeedQuestAsync();
        var user = Guid.NewGuid();
        var occurredAt = new DateTimeOffset(DateTimeOffset.UtcNow.Ticks / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond, TimeSpan.Zero)
            .ToOffset(TimeSpan.FromHours(2));

        await PublishAsync(SignIn(user, Guid.NewGuid(), EventWire.UserSignIn, occurredAt));

        var state = await WaitForSignInsAsync(user, quest, 1);
        Assert.True(state is { SignIns: 1, Progress: (1, 0) }, $"one sign-in: {state}");
        using var http = WorkerClient(await TokenAsync(user, "player"));
        var events = await GetJsonAsync(http, $"/api/users/{user}/events", HttpStatusCode.OK);
        // Only the sign-in: a streak-1 quest another test left active for a moment may add a QuestCompleted.
        var signIn = events.GetProperty("items").EnumerateArray().Single(e => e.GetProperty("event_type").GetString() == EventWire.UserSignIn);
        Assert.Equal(occurredAt, signIn.GetProperty("occurred_at").GetDateTimeOffset());
    }

    [Fact]
    public async Task PoisonMessages_AreDeadLetteredWithTheReason_AndTheNextEventIsProcessed()
    {
        var quest = await SeedQuestAsync();
        var user = Guid.NewGuid();
        var marker = user.ToString();
        var now = DateTimeOffset.UtcNow;
        // Routed as sign-ins, so they reach the worker's queue whatever their body says.
        var badJson = new WireMessage(EventWire.UserSignIn, Encoding.UTF8.GetBytes($$"""{ "event_id": "{{marker}}", "event_type": "UserSignIn", """));
        var unknownType = SignIn(user, Guid.NewGuid(), "NoSuchEvent", now) with { RoutingKey = EventWire.UserSignIn };
        var missingFields = new WireMessage(EventWire.UserSignIn, Encoding.UTF8.GetBytes($$"""{ "event_type": "UserSignIn", "user_id": "{{marker}}" }"""));
        var before = await ServiceMetrics.ScrapeAsync(fixture.App, ResourceNames.ProcessingWorker, replicas: 2);

        await PublishAsync(badJson, unknownType, missingFields, SignIn(user, Guid.NewGuid(), EventWire.UserSignIn, now));

        var state = await WaitForSignInsAsync(user, quest, 1);
        Assert.True(state is { SignIns: 1, LoggedEvents: 1, Progress: (1, 0) }, $"only the good event counts: {state}");

        var deadLetters = await TakeDeadLettersAsync(marker, expected: 3);
        Assert.Collection(
            deadLetters.OrderBy(d => d.Reason, StringComparer.Ordinal),
            d => Assert.Contains("event type 'NoSuchEvent' is not handled", d.Reason, StringComparison.Ordinal),
            d => Assert.Contains("event_id and user_id must be non-empty UUIDs", d.Reason, StringComparison.Ordinal),
            d => Assert.Contains("not valid JSON", d.Reason, StringComparison.Ordinal));

        // Counted by the replicas that dead-lettered them, by kind (once each publish is confirmed).
        const string deadLettered = "messaging_dead_lettered_total";
        var after = await QuestApiClient.EventuallyAsync(
            () => ServiceMetrics.ScrapeAsync(fixture.App, ResourceNames.ProcessingWorker, replicas: 2),
            m => m.Sum(deadLettered) - before.Sum(deadLettered) >= 3, "the three dead letters counted", TimeSpan.FromSeconds(30));
        Assert.Equal(2, after.Sum(deadLettered, ("error_type", "malformed")) - before.Sum(deadLettered, ("error_type", "malformed")));
        Assert.Equal(1, after.Sum(deadLettered, ("error_type", "unsubscribed")) - before.Sum(deadLettered, ("error_type", "unsubscribed")));
    }

    // ---- events in ----

    private Task PublishSignInsAsync(Guid user, int count) => PublishAsync(EventWire.SignIns(user, count, DateTimeOffset.UtcNow));

    private static WireMessage SignIn(Guid user, Guid eventId, string eventType, DateTimeOffset occurredAt) => EventWire.SignIn(user, eventId, eventType, occurredAt);

    private Task PublishAsync(params WireMessage[] messages) => EventWire.PublishAsync(Rabbit, messages, RequestTimeout, Ct);

    private Task<bool> QueueExistsAsync() => EventWire.QueueExistsAsync(Rabbit, EventWire.ProcessingEventsQueue, Ct);

    private sealed record DeadLetter(string Body, string Reason);

    /// <summary>
    /// Takes this test's messages off the dead-letter queue. Other messages are left unacknowledged
    /// and return to the queue when the channel closes, for whoever they belong to.
    /// </summary>
    private async Task<List<DeadLetter>> TakeDeadLettersAsync(string marker, int expected)
    {
        var found = new List<DeadLetter>();
        var others = 0;
        await using var channel = await Rabbit.CreateChannelAsync(cancellationToken: Ct);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, args) =>
        {
            var body = Encoding.UTF8.GetString(args.Body.Span);
            if (!body.Contains(marker, StringComparison.Ordinal))
            {
                Interlocked.Increment(ref others);
                return;
            }

            var reason = args.BasicProperties.Headers?.TryGetValue(EventWire.DeadLetterReasonHeader, out var value) == true && value is byte[] bytes
                ? Encoding.UTF8.GetString(bytes)
                : "(no reason header)";
            lock (found)
            {
                found.Add(new DeadLetter(body, reason));
            }

            await channel.BasicAckAsync(args.DeliveryTag, multiple: false);
        };
        var tag = await channel.BasicConsumeAsync(EventWire.DeadLetterQueueOf(EventWire.ProcessingEventsQueue), autoAck: false, consumer, Ct);

        var seen = await EventuallyAsync($"{expected} dead letters carrying {marker}", () => Task.FromResult(Snapshot()), s => s.Found.Count >= expected);
        await channel.BasicCancelAsync(tag, cancellationToken: Ct);
        return seen.Found;

        DeadLetters Snapshot()
        {
            lock (found)
            {
                return new DeadLetters([.. found], Volatile.Read(ref others));
            }
        }
    }

    private sealed record DeadLetters(List<DeadLetter> Found, int Others)
    {
        public override string ToString() => $"{Found.Count} of ours [{string.Join("; ", Found)}], {Others} of others";
    }

    // ---- results out ----

    private sealed record SeedQuest(Guid Id, string Name);

    private sealed record UserState(
        int LoggedEvents, int SignIns, int Completions, int AllCompletions, int[] CompletionNumbers, (int Progress, int Completions)? Progress)
    {
        public override string ToString() =>
            $"{{ logged: {LoggedEvents}, sign-ins: {SignIns}, completions of the seed quest: {Completions} [{string.Join(',', CompletionNumbers)}], all completions: {AllCompletions}, progress row: {Progress?.ToString() ?? "none"} }}";
    }

    private async Task<UserState> StateAsync(Guid user, SeedQuest quest)
    {
        await using var command = Database.CreateCommand("""
            SELECT count(*)::int,
                   (count(*) FILTER (WHERE event_type IN ('UserSignIn', 'NewUserSignIn')))::int,
                   (count(*) FILTER (WHERE event_type = 'QuestCompleted' AND data->>'quest_id' = @quest))::int,
                   (count(*) FILTER (WHERE event_type = 'QuestCompleted'))::int,
                   coalesce(array_agg((data->>'completion')::int ORDER BY (data->>'completion')::int)
                       FILTER (WHERE event_type = 'QuestCompleted' AND data->>'quest_id' = @quest), '{}'),
                   (SELECT progress FROM quest_progress WHERE user_id = @user AND quest_id = @questId),
                   (SELECT completions FROM quest_progress WHERE user_id = @user AND quest_id = @questId)
            FROM events WHERE user_id = @user
            """);
        command.Parameters.AddWithValue("user", user);
        command.Parameters.AddWithValue("quest", quest.Id.ToString());
        command.Parameters.AddWithValue("questId", quest.Id);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        await reader.ReadAsync(Ct);
        return new UserState(
            reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetFieldValue<int[]>(4),
            reader.IsDBNull(5) ? null : (reader.GetInt32(5), reader.GetInt32(6)));
    }

    private Task<UserState> WaitForSignInsAsync(Guid user, SeedQuest quest, int signIns) =>
        EventuallyAsync($"{signIns} sign-in(s) of {user} in the event log", () => StateAsync(user, quest), s => s.SignIns >= signIns);

    private async Task<List<Guid>> SignInIdsAsync(Guid user)
    {
        await using var command = Database.CreateCommand("SELECT event_id FROM events WHERE user_id = @user AND event_type IN ('UserSignIn', 'NewUserSignIn')");
        command.Parameters.AddWithValue("user", user);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var ids = new List<Guid>();
        while (await reader.ReadAsync(Ct))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    private sealed record OutboxState(int Total, int Sent, string?[] TraceParents)
    {
        public override string ToString() => $"{{ rows: {Total}, sent: {Sent}, trace parents: [{string.Join(", ", TraceParents)}] }}";
    }

    private async Task<OutboxState> OutboxAsync(Guid user)
    {
        await using var command = Database.CreateCommand("""
            SELECT count(*)::int, (count(*) FILTER (WHERE sent_at IS NOT NULL))::int, coalesce(array_agg(trace_parent), '{}')
            FROM outbox_messages
            WHERE id IN (SELECT event_id FROM events WHERE user_id = @user AND event_type = 'QuestCompleted')
            """);
        command.Parameters.AddWithValue("user", user);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        await reader.ReadAsync(Ct);
        return new OutboxState(reader.GetInt32(0), reader.GetInt32(1), reader.GetFieldValue<string?[]>(2));
    }

    /// <summary>The seeded quest, as Catalog.Api serves it; these tests' arithmetic assumes streak 3, duplication 2.</summary>
    private async Task<SeedQuest> SeedQuestAsync()
    {
        using var http = fixture.App.CreateHttpClient(ResourceNames.CatalogApi);
        using var response = await http.GetAsync("/api/quests?include_inactive=true", Ct).WaitAsync(RequestTimeout, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"Catalog.Api GET /api/quests answered {(int)response.StatusCode}: {body}");

        using var quests = JsonDocument.Parse(body);
        var seed = quests.RootElement.EnumerateArray().FirstOrDefault(q => q.GetProperty("name").GetString() == "signin_three");
        Assert.True(seed.ValueKind == JsonValueKind.Object, $"Catalog.Api has no quest signin_three: {body}");
        Assert.True(
            seed.GetProperty("streak").GetInt32() == 3 && seed.GetProperty("duplication").GetInt32() == 2 && seed.GetProperty("is_active").GetBoolean(),
            $"signin_three is not the active streak 3 / duplication 2 seed quest: {seed}");
        return new SeedQuest(seed.GetProperty("quest_id").GetGuid(), "signin_three");
    }

    // ---- the read API ----

    private HttpClient WorkerClient(string? token)
    {
        var http = fixture.App.CreateHttpClient(ResourceNames.ProcessingWorker);
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string path) =>
        http.GetAsync(path, Ct).WaitAsync(RequestTimeout, Ct);

    private static Task<JsonElement> GetJsonAsync(HttpClient http, string path, HttpStatusCode expected) => QuestApiClient.GetJsonAsync(http, path, expected);

    private async Task<string> TokenAsync(Guid user, string role) =>
        TestTokens.Create(await TestTokens.GetSigningKeyAsync(fixture.App, Ct), role, userName: $"test-{user:N}", userId: user);

    // ---- waiting ----

    private static Task<T> EventuallyAsync<T>(string what, Func<Task<T>> probe, Func<T, bool> done) =>
        Poll.UntilAsync(what, _ => probe(), done, ProcessingTimeout, Ct);
}
