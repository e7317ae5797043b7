using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using StackExchange.Redis;

namespace QuestAspire.Catalog.Api.ApiTests;

/// <summary>
/// Catalog.Api over HTTP in the fast tier (the service in this process, real Postgres, RabbitMQ and
/// Redis; see <see cref="ServiceFixture{TEntryPoint}"/>): seeded data, cached reads, admin commands,
/// the events they write (read from catalogdb), the read model and its rebuild, and every kind of
/// bad input. Tests never change the seeded quest, and deactivate what they create so other
/// services' tests see the catalog as seeded.
/// </summary>
public sealed class CatalogApiTests(CatalogApiFixture fixture) : IAsyncLifetime
{
    private const string SeedName = "signin_three";
    private const string ProblemJson = "application/problem+json";
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly List<string> _created = [];
    private HttpClient _http = null!;
    private readonly Guid _adminId = Guid.NewGuid();
    private string _signingKey = null!;
    private string _adminToken = null!;
    private NpgsqlDataSource _catalogDb = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _http = fixture.CreateClient();
        _http.Timeout = RequestTimeout;
        _signingKey = fixture.SigningKey;
        _adminToken = TestTokens.Create(_signingKey, TestTokens.AdminRole, userId: _adminId);
        _catalogDb = NpgsqlDataSource.Create(fixture.ConnectionStrings[ResourceNames.CatalogDb]);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        // Created quests and rewards stay in the database, but inactive: the worker only
        // progresses active quests.
        foreach (var path in _created)
        {
            await SendAsync(HttpMethod.Post, $"{path}/deactivate", _adminToken);
        }

        _http.Dispose();
        await _catalogDb.DisposeAsync();
    }

    [Fact]
    public async Task SeededQuest_IsReadableByIdNameAndList()
    {
        var list = await SendAsync(HttpMethod.Get, "/api/quests");
        list.AssertStatus(HttpStatusCode.OK);
        var fromList = list.Json.EnumerateArray().SingleOrDefault(q => q.GetProperty("name").GetString() == SeedName);
        Assert.True(fromList.ValueKind == JsonValueKind.Object, $"no {SeedName} in the active quests: {list.Body}");

        var id = fromList.GetProperty("quest_id").GetString();
        var byId = await SendAsync(HttpMethod.Get, $"/api/quests/{id}");
        var byName = await SendAsync(HttpMethod.Get, $"/api/quests/by-name/{SeedName}");

        foreach (var reply in new[] { byId, byName })
        {
            reply.AssertStatus(HttpStatusCode.OK);
            AssertSeededQuest(reply.Json, reply.Body);
        }

        AssertSeededQuest(fromList, list.Body);
    }

    [Fact]
    public async Task SeededReward_IsReadableByIdAndList()
    {
        var list = await SendAsync(HttpMethod.Get, "/api/rewards");
        list.AssertStatus(HttpStatusCode.OK);
        var fromList = list.Json.EnumerateArray().SingleOrDefault(r => r.GetProperty("name").GetString() == SeedName);
        Assert.True(fromList.ValueKind == JsonValueKind.Object, $"no {SeedName} in the active rewards: {list.Body}");

        var byId = await SendAsync(HttpMethod.Get, $"/api/rewards/{fromList.GetProperty("reward_id").GetString()}");

        byId.AssertStatus(HttpStatusCode.OK);
        AssertSeededReward(byId.Json, byId.Body);
    }

    [Theory]
    [InlineData("/api/quests/{0}", "quest")]
    [InlineData("/api/rewards/{0}", "reward")]
    [InlineData("/api/quests/by-name/no-such-quest-{0}", "quest")]
    public async Task UnknownId_Returns404Problem(string template, string entity)
    {
        var path = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, Guid.NewGuid());

        var reply = await SendAsync(HttpMethod.Get, path);

        reply.AssertProblem(HttpStatusCode.NotFound);
        var detail = reply.Json.GetProperty("detail").GetString() ?? "";
        Assert.True(detail.Contains(entity, StringComparison.Ordinal), $"the detail does not name the {entity}: {reply.Body}");
    }

    [Theory]
    [InlineData("GET", "/api/quests/not-a-uuid")]
    [InlineData("GET", "/api/quests/12345")]
    [InlineData("GET", "/api/rewards/not-a-uuid")]
    [InlineData("GET", "/api/quests/00000000-0000-0000-0000-00000000000g")]
    [InlineData("PUT", "/api/quests/not-a-uuid")]
    [InlineData("POST", "/api/quests/not-a-uuid/deactivate")]
    [InlineData("POST", "/api/rewards/abc/deactivate")]
    public async Task MalformedId_Returns404Problem_Not500(string method, string path)
    {
        var reply = await SendAsync(new HttpMethod(method), path, _adminToken, method == "PUT" ? "{}" : null);

        reply.AssertProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task SecondRead_IsServedFromRedis_UntilAWrite()
    {
        var reward = await CreateRewardAsync("gold", 5);
        var quest = await CreateQuestAsync(reward, description: "from the database");
        var id = quest.GetProperty("quest_id").GetString();

        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.ConnectionStrings[ResourceNames.Redis]).WaitAsync(RequestTimeout, Cancellation);
        var database = redis.GetDatabase();

        // Arrange: the first read misses and stores the quest under the current generation.
        var first = await SendAsync(HttpMethod.Get, $"/api/quests/{id}");
        first.AssertStatus(HttpStatusCode.OK);
        var generation = (long?)await database.StringGetAsync("catalog:generation").WaitAsync(RequestTimeout, Cancellation) ?? 0;
        var key = $"catalog:{generation}:quest:{id}";
        var stored = await database.StringGetWithExpiryAsync(key).WaitAsync(RequestTimeout, Cancellation);
        Assert.True(stored.Value.HasValue, $"no {key} in Redis after the first read; catalog keys: {await CatalogKeysAsync(redis)}");
        Assert.True(stored.Expiry is { } ttl && ttl > TimeSpan.Zero && ttl <= TimeSpan.FromMinutes(10), $"{key} expires in {stored.Expiry?.ToString() ?? "never"}");

        // Act: change the cached copy behind the API's back; only a read from Redis can see it.
        var tampered = stored.Value.ToString().Replace("from the database", "from redis", StringComparison.Ordinal);
        await database.StringSetAsync(key, tampered, expiry: (TimeSpan?)null, keepTtl: true).WaitAsync(RequestTimeout, Cancellation);
        var second = await SendAsync(HttpMethod.Get, $"/api/quests/{id}");

        // Assert
        second.AssertStatus(HttpStatusCode.OK);
        Assert.True(second.Json.GetProperty("description").GetString() == "from redis", $"the second read did not come from Redis: {second.Body}");

        // A write retires the cached copy: the next read is the database's again.
        var update = await SendAsync(HttpMethod.Put, $"/api/quests/{id}", _adminToken, QuestBody(quest.GetProperty("name").GetString()!, reward, description: "after the write"));
        update.AssertStatus(HttpStatusCode.OK);
        var third = await SendAsync(HttpMethod.Get, $"/api/quests/{id}");
        Assert.True(third.Json.GetProperty("description").GetString() == "after the write", $"stale read after a write: {third.Body}");
    }

    [Fact]
    public async Task Admin_CreatesUpdatesAndDeactivatesAQuest()
    {
        var gold = await CreateRewardAsync("gold", 5);
        var diamonds = await CreateRewardAsync("diamond", 2);
        var name = UniqueName("quest");

        // Create: 201, Location, the quest with its reward inline.
        var created = await SendAsync(HttpMethod.Post, "/api/quests", _adminToken, QuestBody(name, gold, streak: 4, duplication: 3, autoClaim: true));
        created.AssertStatus(HttpStatusCode.Created);
        _created.Add(created.Location?.OriginalString ?? "");
        var id = created.Json.GetProperty("quest_id").GetString();
        Assert.Equal($"/api/quests/{id}", created.Location?.OriginalString);
        AssertQuest(created, name, streak: 4, duplication: 3, autoClaim: true, active: true, rewardId: gold);

        var read = await SendAsync(HttpMethod.Get, created.Location!.OriginalString);
        AssertQuest(read, name, streak: 4, duplication: 3, autoClaim: true, active: true, rewardId: gold);
        Assert.Contains(await ActiveQuestNamesAsync(), n => n == name);

        // Update: every field, including the reward.
        var renamed = UniqueName("renamed");
        var updated = await SendAsync(HttpMethod.Put, $"/api/quests/{id}", _adminToken, QuestBody(renamed, diamonds, streak: 2, duplication: 1, autoClaim: false));
        AssertQuest(updated, renamed, streak: 2, duplication: 1, autoClaim: false, active: true, rewardId: diamonds);
        AssertQuest(await SendAsync(HttpMethod.Get, $"/api/quests/by-name/{renamed}"), renamed, 2, 1, false, true, diamonds);
        (await SendAsync(HttpMethod.Get, $"/api/quests/by-name/{name}")).AssertProblem(HttpStatusCode.NotFound);

        // Deactivate: still readable by id, gone from the active list, listed with include_inactive.
        var deactivated = await SendAsync(HttpMethod.Post, $"/api/quests/{id}/deactivate", _adminToken);
        AssertQuest(deactivated, renamed, 2, 1, false, active: false, diamonds);
        AssertQuest(await SendAsync(HttpMethod.Get, $"/api/quests/{id}"), renamed, 2, 1, false, active: false, diamonds);
        Assert.DoesNotContain(await ActiveQuestNamesAsync(), n => n == renamed);
        var all = await SendAsync(HttpMethod.Get, "/api/quests?include_inactive=true");
        Assert.True(all.Json.EnumerateArray().Any(q => q.GetProperty("name").GetString() == renamed), $"{renamed} missing from include_inactive: {all.Body}");

        // Deactivating again is harmless.
        (await SendAsync(HttpMethod.Post, $"/api/quests/{id}/deactivate", _adminToken)).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Admin_CreatesUpdatesAndDeactivatesAReward_AndQuestsSeeTheChange()
    {
        var name = UniqueName("reward");
        var created = await SendAsync(HttpMethod.Post, "/api/rewards", _adminToken, Json(new { name, item = "gold", qty = 3 }));
        created.AssertStatus(HttpStatusCode.Created);
        _created.Add(created.Location?.OriginalString ?? "");
        var id = created.Json.GetProperty("reward_id").GetString()!;
        Assert.Equal($"/api/rewards/{id}", created.Location?.OriginalString);
        AssertReward(created.Json, created.Body, name, "gold", 3, active: true);
        var quest = await CreateQuestAsync(id);
        var questId = quest.GetProperty("quest_id").GetString();
        (await SendAsync(HttpMethod.Get, $"/api/quests/{questId}")).AssertStatus(HttpStatusCode.OK); // now cached

        var updated = await SendAsync(HttpMethod.Put, $"/api/rewards/{id}", _adminToken, Json(new { name, item = "diamond", qty = 7 }));
        updated.AssertStatus(HttpStatusCode.OK);
        AssertReward(updated.Json, updated.Body, name, "diamond", 7, active: true);
        var questAfter = await SendAsync(HttpMethod.Get, $"/api/quests/{questId}");
        AssertReward(questAfter.Json.GetProperty("reward"), questAfter.Body, name, "diamond", 7, active: true);

        var deactivated = await SendAsync(HttpMethod.Post, $"/api/rewards/{id}/deactivate", _adminToken);
        deactivated.AssertStatus(HttpStatusCode.OK);
        AssertReward(deactivated.Json, deactivated.Body, name, "diamond", 7, active: false);
        var active = await SendAsync(HttpMethod.Get, "/api/rewards");
        Assert.False(active.Json.EnumerateArray().Any(r => r.GetProperty("reward_id").GetString() == id), $"inactive reward listed: {active.Body}");
        var all = await SendAsync(HttpMethod.Get, "/api/rewards?include_inactive=true");
        Assert.True(all.Json.EnumerateArray().Any(r => r.GetProperty("reward_id").GetString() == id), $"reward missing from include_inactive: {all.Body}");

        // An inactive reward cannot be given to another quest.
        var refused = await SendAsync(HttpMethod.Post, "/api/quests", _adminToken, QuestBody(UniqueName("quest"), id));
        refused.AssertValidationErrors(Fields("reward_id"));
    }

    [Fact]
    public async Task Create_IsReadableAtOnce_AndWritesItsEventToTheStoreAndTheOutbox()
    {
        var before = await LastCatalogVersionAsync();

        var reward = await SendAsync(HttpMethod.Post, "/api/rewards", _adminToken, Json(new { name = UniqueName("reward"), item = "gold", qty = 4 }));
        reward.AssertStatus(HttpStatusCode.Created);
        _created.Add(reward.Location!.OriginalString);
        var rewardId = reward.Json.GetProperty("reward_id").GetString()!;
        var quest = await SendAsync(HttpMethod.Post, "/api/quests", _adminToken, QuestBody(UniqueName("quest"), rewardId));
        quest.AssertStatus(HttpStatusCode.Created);
        _created.Add(quest.Location!.OriginalString);

        // Read-your-writes: the read model already shows both, exactly as the 201s did.
        var rewardRead = await SendAsync(HttpMethod.Get, reward.Location!.OriginalString);
        var questRead = await SendAsync(HttpMethod.Get, quest.Location!.OriginalString);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(reward.Body), JsonNode.Parse(rewardRead.Body)), $"the reward read differs from the 201: {reward.Body} vs {rewardRead.Body}");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(quest.Body), JsonNode.Parse(questRead.Body)), $"the quest read differs from the 201: {quest.Body} vs {questRead.Body}");
        Assert.Contains(await ActiveQuestNamesAsync(), n => n == quest.Json.GetProperty("name").GetString());

        var rewardVersion = reward.Json.GetProperty("version").GetInt64();
        var questVersion = quest.Json.GetProperty("version").GetInt64();
        Assert.True(before < rewardVersion && rewardVersion < questVersion, $"versions do not grow: before {before}, reward {rewardVersion}, quest {questVersion}");
        Assert.Equal(rewardVersion, quest.Json.GetProperty("reward").GetProperty("version").GetInt64());

        var events = await CatalogEventsAfterAsync(before);
        AssertEvent(events, rewardVersion, "RewardChanged", "reward", reward.Body);
        AssertEvent(events, questVersion, "QuestChanged", "quest", quest.Body);
    }

    [Fact]
    public async Task Update_BumpsTheVersion_AndDeactivateThenActivate_EachWriteAnEvent()
    {
        var reward = await CreateRewardAsync("gold", 2);
        var created = await CreateQuestAsync(reward, description: "first");
        var id = created.GetProperty("quest_id").GetString();
        var name = created.GetProperty("name").GetString()!;

        var updated = await SendAsync(HttpMethod.Put, $"/api/quests/{id}", _adminToken, QuestBody(name, reward, description: "second"));
        var deactivated = await SendAsync(HttpMethod.Post, $"/api/quests/{id}/deactivate", _adminToken);
        var readInactive = await SendAsync(HttpMethod.Get, $"/api/quests/{id}");
        var activeWhileInactive = await ActiveQuestNamesAsync();
        var activated = await SendAsync(HttpMethod.Post, $"/api/quests/{id}/activate", _adminToken);
        var readActive = await SendAsync(HttpMethod.Get, $"/api/quests/{id}");
        var activatedAgain = await SendAsync(HttpMethod.Post, $"/api/quests/{id}/activate", _adminToken);

        AssertQuest(updated, name, 3, 2, false, active: true, reward);
        Assert.Equal("second", updated.Json.GetProperty("description").GetString());
        AssertQuest(deactivated, name, 3, 2, false, active: false, reward);
        AssertQuest(readInactive, name, 3, 2, false, active: false, reward);
        Assert.DoesNotContain(activeWhileInactive, n => n == name);
        AssertQuest(activated, name, 3, 2, false, active: true, reward);
        AssertQuest(readActive, name, 3, 2, false, active: true, reward);
        Assert.Contains(await ActiveQuestNamesAsync(), n => n == name);

        long[] versions = [.. new[] { created }.Concat([updated.Json, deactivated.Json, activated.Json]).Select(q => q.GetProperty("version").GetInt64())];
        Assert.True(versions.Zip(versions.Skip(1)).All(p => p.First < p.Second), $"versions do not strictly grow: {string.Join(", ", versions)}");
        Assert.Equal(versions[^1], readActive.Json.GetProperty("version").GetInt64());
        // Activating an active quest changes nothing: no new version, no event.
        Assert.Equal(versions[^1], activatedAgain.Json.GetProperty("version").GetInt64());

        var events = await CatalogEventsAfterAsync(versions[0] - 1);
        foreach (var (version, reply) in versions.Skip(1).Zip([updated, deactivated, activated]))
        {
            AssertEvent(events, version, "QuestChanged", "quest", reply.Body);
        }

        Assert.DoesNotContain(events, e => e.Version > versions[^1] && e.Data.Contains(id!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reward_DeactivateActivateAndPutIsActive_MoveItsVersion()
    {
        var id = await CreateRewardAsync("diamond", 3);
        var name = (await SendAsync(HttpMethod.Get, $"/api/rewards/{id}")).Json.GetProperty("name").GetString()!;

        var deactivated = await SendAsync(HttpMethod.Post, $"/api/rewards/{id}/deactivate", _adminToken);
        var activated = await SendAsync(HttpMethod.Post, $"/api/rewards/{id}/activate", _adminToken);
        var putInactive = await SendAsync(HttpMethod.Put, $"/api/rewards/{id}", _adminToken, Json(new { name, item = "diamond", qty = 3, is_active = false }));
        var read = await SendAsync(HttpMethod.Get, $"/api/rewards/{id}");

        AssertReward(deactivated.Json, deactivated.Body, name, "diamond", 3, active: false);
        AssertReward(activated.Json, activated.Body, name, "diamond", 3, active: true);
        AssertReward(putInactive.Json, putInactive.Body, name, "diamond", 3, active: false);
        AssertReward(read.Json, read.Body, name, "diamond", 3, active: false);
        long[] versions = [.. new[] { deactivated, activated, putInactive }.Select(r => r.Json.GetProperty("version").GetInt64())];
        Assert.True(versions[0] < versions[1] && versions[1] < versions[2], $"versions do not strictly grow: {string.Join(", ", versions)}");
        var events = await CatalogEventsAfterAsync(versions[0] - 1);
        AssertEvent(events, versions[0], "RewardChanged", "reward", deactivated.Body);
        AssertEvent(events, versions[1], "RewardChanged", "reward", activated.Body);
        AssertEvent(events, versions[2], "RewardChanged", "reward", putInactive.Body);
    }

    [Fact]
    public async Task RewardEdit_EmitsQuestChangedForEveryQuestPayingIt()
    {
        var rewardId = await CreateRewardAsync("gold", 1);
        var first = await CreateQuestAsync(rewardId);
        var second = await CreateQuestAsync(rewardId);
        var rewardName = first.GetProperty("reward").GetProperty("name").GetString()!;

        var edited = await SendAsync(HttpMethod.Put, $"/api/rewards/{rewardId}", _adminToken, Json(new { name = rewardName, item = "diamond", qty = 6 }));

        edited.AssertStatus(HttpStatusCode.OK);
        var rewardVersion = edited.Json.GetProperty("version").GetInt64();
        var events = await CatalogEventsAfterAsync(rewardVersion - 1);
        AssertEvent(events, rewardVersion, "RewardChanged", "reward", edited.Body);
        var questEvents = events.Where(e => e.Version > rewardVersion && e.Version <= rewardVersion + 2).ToList();
        Assert.True(questEvents.Count == 2 && questEvents.All(e => e.EventType == "QuestChanged"), $"expected two QuestChanged right after the RewardChanged: {Describe(events)}");
        foreach (var quest in new[] { first, second })
        {
            var read = await SendAsync(HttpMethod.Get, $"/api/quests/{quest.GetProperty("quest_id").GetString()}");
            var version = read.Json.GetProperty("version").GetInt64();
            Assert.True(version > rewardVersion, $"the quest's version did not move with its reward ({rewardVersion}): {read.Body}");
            AssertReward(read.Json.GetProperty("reward"), read.Body, rewardName, "diamond", 6, active: true);
            Assert.Equal(rewardVersion, read.Json.GetProperty("reward").GetProperty("version").GetInt64());
            AssertEvent(events, version, "QuestChanged", "quest", read.Body);
        }
    }

    [Fact]
    public async Task Rebuild_AnswersUnchanged_AndTheReadModelEqualsTheWriteSide()
    {
        var reward = await CreateRewardAsync("gold", 8);
        await CreateQuestAsync(reward);
        var questsBefore = await SendAsync(HttpMethod.Get, "/api/quests?include_inactive=true");
        var rewardsBefore = await SendAsync(HttpMethod.Get, "/api/rewards?include_inactive=true");

        var rebuilt = await SendAsync(HttpMethod.Post, "/api/admin/read-model/rebuild", _adminToken);

        rebuilt.AssertStatus(HttpStatusCode.OK);
        Assert.Equal(["quests", "rewards", "catalog_version", "unchanged"], rebuilt.Json.EnumerateObject().Select(p => p.Name));
        Assert.True(rebuilt.Json.GetProperty("unchanged").GetBoolean(), $"the projected read model differed from the write side: {rebuilt.Body}");
        Assert.Equal(questsBefore.Json.GetArrayLength(), rebuilt.Json.GetProperty("quests").GetInt32());
        Assert.Equal(rewardsBefore.Json.GetArrayLength(), rebuilt.Json.GetProperty("rewards").GetInt32());
        Assert.Equal(await LastCatalogVersionAsync(), rebuilt.Json.GetProperty("catalog_version").GetInt64());

        var questsAfter = await SendAsync(HttpMethod.Get, "/api/quests?include_inactive=true");
        var rewardsAfter = await SendAsync(HttpMethod.Get, "/api/rewards?include_inactive=true");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(questsBefore.Body), JsonNode.Parse(questsAfter.Body)), $"quests changed by the rebuild: {questsBefore.Body} vs {questsAfter.Body}");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(rewardsBefore.Body), JsonNode.Parse(rewardsAfter.Body)), $"rewards changed by the rebuild: {rewardsBefore.Body} vs {rewardsAfter.Body}");

        // And the answers are the write tables': every quest and reward at its stored version.
        var writeSide = await WriteSideVersionsAsync();
        var readSide = questsAfter.Json.EnumerateArray().Select(q => (q.GetProperty("quest_id").GetGuid(), q.GetProperty("version").GetInt64()))
            .Concat(rewardsAfter.Json.EnumerateArray().Select(r => (r.GetProperty("reward_id").GetGuid(), r.GetProperty("version").GetInt64())))
            .Order().ToList();
        Assert.Equal(writeSide, readSide);
    }

    [Theory]
    // field, raw JSON value (null: the field is left out)
    [InlineData("name", null)]
    [InlineData("name", "\"\"")]
    [InlineData("name", "\"   \"")]
    [InlineData("description", null)]
    [InlineData("streak", null)]
    [InlineData("streak", "0")]
    [InlineData("streak", "-1")]
    [InlineData("duplication", null)]
    [InlineData("duplication", "0")]
    [InlineData("auto_claim", null)]
    [InlineData("reward_id", null)]
    [InlineData("reward_id", "\"00000000-0000-0000-0000-000000000000\"")]
    [InlineData("reward_id", "\"0199a1b2-0000-7000-8000-00000000dead\"")]
    public async Task CreateQuest_OneBadField_Returns400OnThatField_AndWritesNothing(string field, string? value)
    {
        var body = JsonNode.Parse(QuestBody(UniqueName("bad"), await SeededRewardIdAsync()))!.AsObject();
        SetOrRemove(body, field, value);
        var name = body["name"]?.GetValue<string>();
        var before = await LastCatalogVersionAsync();

        var reply = await SendAsync(HttpMethod.Post, "/api/quests", _adminToken, body.ToJsonString());

        reply.AssertValidationErrors(Fields(field));
        await AssertNoPartialWriteAsync(name);
        Assert.Equal(before, await LastCatalogVersionAsync());
    }

    [Theory]
    [InlineData("name", null)]
    [InlineData("item", null)]
    [InlineData("item", "\"platinum\"")]
    [InlineData("item", "\"Gold\"")]
    [InlineData("qty", null)]
    [InlineData("qty", "0")]
    [InlineData("qty", "-3")]
    public async Task CreateReward_OneBadField_Returns400OnThatField_AndWritesNothing(string field, string? value)
    {
        var body = new JsonObject { ["name"] = UniqueName("bad"), ["item"] = "gold", ["qty"] = 1 };
        SetOrRemove(body, field, value);
        var before = await LastCatalogVersionAsync();

        var reply = await SendAsync(HttpMethod.Post, "/api/rewards", _adminToken, body.ToJsonString());

        reply.AssertValidationErrors(Fields(field));
        Assert.Equal(before, await LastCatalogVersionAsync());
        var all = await SendAsync(HttpMethod.Get, "/api/rewards?include_inactive=true");
        var name = body["name"]?.GetValue<string>();
        Assert.True(
            all.Json.EnumerateArray().Count(r => r.GetProperty("name").GetString() == name) == (name == SeedName ? 1 : 0),
            $"a refused reward was written: {all.Body}");
    }

    [Theory]
    [InlineData("/api/quests")]
    [InlineData("/api/rewards")]
    public async Task Create_WithTheSeededName_Returns409OnName_AndWritesNothing(string path)
    {
        var before = await LastCatalogVersionAsync();
        var body = path == "/api/quests" ? QuestBody(SeedName, await SeededRewardIdAsync()) : Json(new { name = SeedName, item = "gold", qty = 1 });

        var reply = await SendAsync(HttpMethod.Post, path, _adminToken, body);

        reply.AssertNameConflict();
        Assert.Equal(before, await LastCatalogVersionAsync());
    }

    [Fact]
    public async Task CreateQuest_EmptyBody_ReportsEveryRequiredField()
    {
        var reply = await SendAsync(HttpMethod.Post, "/api/quests", _adminToken, "{}");

        reply.AssertValidationErrors(Fields("name", "description", "streak", "duplication", "auto_claim", "reward_id"));
    }

    [Fact]
    public async Task UpdateQuest_ToATakenName_Returns409OnName_AndChangesNothing()
    {
        var reward = await CreateRewardAsync("gold", 1);
        var quest = await CreateQuestAsync(reward, description: "unchanged");
        var id = quest.GetProperty("quest_id").GetString();
        var name = quest.GetProperty("name").GetString()!;

        var taken = await SendAsync(HttpMethod.Put, $"/api/quests/{id}", _adminToken, QuestBody(SeedName, reward, description: "changed"));
        var invalid = await SendAsync(HttpMethod.Put, $"/api/quests/{id}", _adminToken, QuestBody(name, reward, description: "changed", streak: 0, duplication: 0));

        taken.AssertNameConflict();
        invalid.AssertValidationErrors(Fields("streak", "duplication"));
        // The quest was not read since the create's write, so this read comes from the database.
        var read = await SendAsync(HttpMethod.Get, $"/api/quests/{id}");
        AssertQuest(read, name, streak: 3, duplication: 2, autoClaim: false, active: true, rewardId: reward);
        Assert.True(read.Json.GetProperty("description").GetString() == "unchanged", $"a refused update was written: {read.Body}");

        // Keeping its own name is not a conflict.
        (await SendAsync(HttpMethod.Put, $"/api/quests/{id}", _adminToken, QuestBody(name, reward, description: "changed"))).AssertStatus(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("PUT", "/api/quests/{0}")]
    [InlineData("POST", "/api/quests/{0}/deactivate")]
    [InlineData("PUT", "/api/rewards/{0}")]
    [InlineData("POST", "/api/rewards/{0}/deactivate")]
    [InlineData("POST", "/api/quests/{0}/activate")]
    [InlineData("POST", "/api/rewards/{0}/activate")]
    public async Task AdminCommand_UnknownId_Returns404Problem(string method, string template)
    {
        var path = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, Guid.NewGuid());
        var body = template.StartsWith("/api/quests", StringComparison.Ordinal)
            ? QuestBody(UniqueName("ghost"), await SeededRewardIdAsync())
            : Json(new { name = UniqueName("ghost"), item = "gold", qty = 1 });

        var reply = await SendAsync(new HttpMethod(method), path, _adminToken, method == "PUT" ? body : null);

        reply.AssertProblem(HttpStatusCode.NotFound);
    }

    // Authentication and authorization come before the handler: the ids need not exist.
    public static TheoryData<string, string> AdminCommands => new()
    {
        { "POST", "/api/quests" },
        { "PUT", "/api/quests/0199a1b2-0000-7000-8000-000000000001" },
        { "POST", "/api/quests/0199a1b2-0000-7000-8000-000000000001/deactivate" },
        { "POST", "/api/rewards" },
        { "PUT", "/api/rewards/0199a1b2-0000-7000-8000-000000000002" },
        { "POST", "/api/rewards/0199a1b2-0000-7000-8000-000000000002/deactivate" },
        { "POST", "/api/quests/0199a1b2-0000-7000-8000-000000000001/activate" },
        { "POST", "/api/rewards/0199a1b2-0000-7000-8000-000000000002/activate" },
        { "POST", "/api/admin/read-model/rebuild" },
    };

    [Theory]
    [MemberData(nameof(AdminCommands))]
    public async Task AdminCommand_WithoutToken_Returns401(string method, string path)
    {
        var reply = await SendAsync(new HttpMethod(method), path, token: null, body: "{}");

        reply.AssertProblem(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [MemberData(nameof(AdminCommands))]
    public async Task AdminCommand_PlayerToken_Returns403(string method, string path)
    {
        var reply = await SendAsync(new HttpMethod(method), path, TestTokens.Create(_signingKey, TestTokens.PlayerRole), "{}");

        reply.AssertProblem(HttpStatusCode.Forbidden);
    }

    [Theory]
    [MemberData(nameof(AdminCommands))]
    public async Task AdminCommand_ForgedToken_Returns401(string method, string path)
    {
        var forged = TestTokens.Create("not-the-signing-key-but-just-as-long-0123456789abcdef", TestTokens.AdminRole);

        var reply = await SendAsync(new HttpMethod(method), path, forged, "{}");

        reply.AssertProblem(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [MemberData(nameof(AdminCommands))]
    public async Task AdminCommand_ExpiredToken_Returns401(string method, string path)
    {
        // Expired five minutes ago: well past the 30 s clock skew the services allow.
        var expired = TestTokens.Create(_signingKey, TestTokens.AdminRole, TimeProvider.System.GetUtcNow().AddMinutes(-15), TimeSpan.FromMinutes(10));

        var reply = await SendAsync(new HttpMethod(method), path, expired, "{}");

        reply.AssertProblem(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("not a token")]
    [InlineData("e30.e30.")]
    public async Task AdminCommand_GarbageToken_Returns401(string token)
    {
        var reply = await SendAsync(HttpMethod.Post, "/api/rewards", token, "{}");

        reply.AssertProblem(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("/api/quests")]
    [InlineData("/api/rewards")]
    public async Task Create_OversizedBody_Returns413(string path)
    {
        // Valid JSON, just over the 64 KB limit every API has.
        var body = Json(new { name = "big", description = new string('x', 70 * 1024), item = "gold", qty = 1 });
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _adminToken);
        // Wait for the server's go-ahead before sending the body: the 413 then arrives before any
        // of it is sent, instead of racing a half-sent body (a connection reset on a busy machine).
        request.Headers.ExpectContinue = true;

        var reply = await SendAsync(request);

        reply.AssertProblem(HttpStatusCode.RequestEntityTooLarge);
    }

    [Theory]
    [InlineData("{\"name\": ")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"name\":\"x\",\"streak\":\"three\"}")]
    [InlineData("{\"name\":\"x\",\"streak\":1.5}")]
    [InlineData("{\"name\":\"x\",\"streak\":99999999999}")]
    [InlineData("{\"name\":\"x\",\"auto_claim\":\"yes\"}")]
    [InlineData("{\"name\":\"x\",\"reward_id\":\"not-a-uuid\"}")]
    [InlineData("{\"name\":42}")]
    public async Task CreateQuest_InvalidJson_Returns400Problem(string body)
    {
        var reply = await SendAsync(HttpMethod.Post, "/api/quests", _adminToken, body);

        reply.AssertProblem(HttpStatusCode.BadRequest);
        Assert.True(reply.Json.TryGetProperty("detail", out var detail) && detail.GetString()?.Length > 0, $"no detail: {reply.Body}");
    }

    [Fact]
    public async Task CreateReward_NotJson_Returns415Problem()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/rewards") { Content = new StringContent("name=x", Encoding.UTF8, "text/plain") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _adminToken);

        var reply = await SendAsync(request);

        reply.AssertProblem(HttpStatusCode.UnsupportedMediaType);
    }

    [Theory]
    [InlineData("/api/quests?include_inactive=maybe")]
    [InlineData("/api/rewards?include_inactive=2")]
    public async Task List_MalformedFilter_Returns400Problem(string path)
    {
        var reply = await SendAsync(HttpMethod.Get, path);

        reply.AssertProblem(HttpStatusCode.BadRequest);
    }

    private static void AssertSeededQuest(JsonElement quest, string body)
    {
        Assert.True(
            quest.GetProperty("name").GetString() == SeedName
            && quest.GetProperty("description").GetString() == "Sign in 3 times"
            && quest.GetProperty("streak").GetInt32() == 3
            && quest.GetProperty("duplication").GetInt32() == 2
            && !quest.GetProperty("auto_claim").GetBoolean()
            && quest.GetProperty("is_active").GetBoolean()
            && Guid.TryParse(quest.GetProperty("quest_id").GetString(), out _),
            $"not the seeded quest: {body}");
        AssertSeededReward(quest.GetProperty("reward"), body);
    }

    private static void AssertSeededReward(JsonElement reward, string body)
    {
        AssertReward(reward, body, SeedName, "diamond", 10, active: true);
        Assert.True(Guid.TryParse(reward.GetProperty("reward_id").GetString(), out _), $"no reward_id: {body}");
    }

    private static void AssertReward(JsonElement reward, string body, string name, string item, int qty, bool active)
    {
        string[] contract = ["reward_id", "name", "item", "qty", "is_active", "version"];
        Assert.True(reward.EnumerateObject().Select(p => p.Name).SequenceEqual(contract), $"not the reward contract {string.Join(",", contract)}: {body}");
        Assert.True(
            reward.GetProperty("name").GetString() == name
            && reward.GetProperty("item").GetString() == item
            && reward.GetProperty("qty").GetInt32() == qty
            && reward.GetProperty("is_active").GetBoolean() == active,
            $"expected reward {name} = {qty} {item}, active {active}: {body}");
    }

    private static void AssertQuest(Reply reply, string name, int streak, int duplication, bool autoClaim, bool active, string rewardId)
    {
        reply.AssertStatus(reply.Status == HttpStatusCode.Created ? HttpStatusCode.Created : HttpStatusCode.OK);
        var quest = reply.Json;
        string[] contract = ["quest_id", "name", "description", "streak", "duplication", "auto_claim", "is_active", "version", "reward",
            "event_type", "kind", "freezes", "reset", "starts_at", "ends_at", "precondition_ids", "value_mode"];
        Assert.True(quest.EnumerateObject().Select(p => p.Name).SequenceEqual(contract), $"not the quest contract {string.Join(",", contract)}: {reply.Body}");
        Assert.True(
            quest.GetProperty("name").GetString() == name
            && quest.GetProperty("streak").GetInt32() == streak
            && quest.GetProperty("duplication").GetInt32() == duplication
            && quest.GetProperty("auto_claim").GetBoolean() == autoClaim
            && quest.GetProperty("is_active").GetBoolean() == active
            && quest.GetProperty("reward").GetProperty("reward_id").GetString() == rewardId,
            $"expected quest {name} streak {streak} duplication {duplication} auto_claim {autoClaim} active {active} reward {rewardId}: {reply.Body}");
    }

    private async Task AssertNoPartialWriteAsync(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return;
        }

        // Unknown names are never cached, so this lookup asks the database.
        var reply = await SendAsync(HttpMethod.Get, $"/api/quests/by-name/{Uri.EscapeDataString(name)}");
        if (name == SeedName)
        {
            reply.AssertStatus(HttpStatusCode.OK);
            AssertSeededQuest(reply.Json, reply.Body);
        }
        else
        {
            Assert.True(reply.Status == HttpStatusCode.NotFound, $"a refused quest was written: {(int)reply.Status} {reply.Body}");
        }
    }

    private sealed record StoredEvent(long Version, Guid EventId, string EventType, Guid UserId, string Data, bool InOutbox, bool OutboxMatches);

    private async Task<long> LastCatalogVersionAsync()
    {
        await using var command = _catalogDb.CreateCommand("SELECT coalesce(max(version), 0) FROM catalog_events");
        return (long)(await command.ExecuteScalarAsync(Cancellation).WaitAsync(RequestTimeout, Cancellation))!;
    }

    // Each stored event with whether the outbox holds the same event (id, type and data).
    private async Task<List<StoredEvent>> CatalogEventsAfterAsync(long version)
    {
        await using var command = _catalogDb.CreateCommand("""
            SELECT e.version, e.event_id, e.event_type, e.user_id, e.data::text,
                   o.id IS NOT NULL,
                   coalesce(o.event_type = e.event_type AND convert_from(o.payload, 'UTF8')::jsonb -> 'data' = e.data
                            AND (convert_from(o.payload, 'UTF8')::jsonb ->> 'event_id')::uuid = e.event_id, false)
            FROM catalog_events e LEFT JOIN outbox_messages o ON o.id = e.event_id
            WHERE e.version > $1 ORDER BY e.version
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = version });
        await using var reader = await command.ExecuteReaderAsync(Cancellation).WaitAsync(RequestTimeout, Cancellation);
        var events = new List<StoredEvent>();
        while (await reader.ReadAsync(Cancellation))
        {
            events.Add(new(reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetGuid(3), reader.GetString(4), reader.GetBoolean(5), reader.GetBoolean(6)));
        }

        return events;
    }

    private async Task<List<(Guid, long)>> WriteSideVersionsAsync()
    {
        await using var command = _catalogDb.CreateCommand("SELECT quest_id, version FROM quests UNION ALL SELECT reward_id, version FROM rewards");
        await using var reader = await command.ExecuteReaderAsync(Cancellation).WaitAsync(RequestTimeout, Cancellation);
        var rows = new List<(Guid, long)>();
        while (await reader.ReadAsync(Cancellation))
        {
            rows.Add((reader.GetGuid(0), reader.GetInt64(1)));
        }

        return [.. rows.Order()];
    }

    // The event at `version` is `type` by this test's admin, its data { catalog_version, <entity>: the answer }, and it is in the outbox.
    private void AssertEvent(List<StoredEvent> events, long version, string type, string entity, string answer)
    {
        var stored = events.SingleOrDefault(e => e.Version == version);
        Assert.True(stored is not null, $"no event at catalog version {version}: {Describe(events)}");
        Assert.True(stored.EventType == type && stored.UserId == _adminId, $"expected {type} by {_adminId} at {version}, got {stored.EventType} by {stored.UserId}");
        var data = JsonNode.Parse(stored.Data)!.AsObject();
        Assert.True(
            data.Count == 2 && data["catalog_version"]?.GetValue<long>() == version && JsonNode.DeepEquals(data[entity], JsonNode.Parse(answer)),
            $"{type} at {version} carries {stored.Data}, expected {{ catalog_version: {version}, {entity}: {answer} }}");
        Assert.True(stored.InOutbox && stored.OutboxMatches, $"{type} {stored.EventId} at {version} is not in the outbox as stored (in outbox: {stored.InOutbox})");
    }

    private static string Describe(IEnumerable<StoredEvent> events) =>
        string.Join("; ", events.Select(e => $"{e.Version} {e.EventType} {e.Data}"));

    private async Task<string> SeededRewardIdAsync()
    {
        var quest = await SendAsync(HttpMethod.Get, $"/api/quests/by-name/{SeedName}");
        quest.AssertStatus(HttpStatusCode.OK);
        return quest.Json.GetProperty("reward").GetProperty("reward_id").GetString()!;
    }

    private async Task<string[]> ActiveQuestNamesAsync()
    {
        var list = await SendAsync(HttpMethod.Get, "/api/quests");
        list.AssertStatus(HttpStatusCode.OK);
        return [.. list.Json.EnumerateArray().Select(q => q.GetProperty("name").GetString()!)];
    }

    private async Task<string> CreateRewardAsync(string item, int qty)
    {
        var reply = await SendAsync(HttpMethod.Post, "/api/rewards", _adminToken, Json(new { name = UniqueName("reward"), item, qty }));
        reply.AssertStatus(HttpStatusCode.Created);
        _created.Add(reply.Location?.OriginalString ?? "");
        return reply.Json.GetProperty("reward_id").GetString()!;
    }

    private async Task<JsonElement> CreateQuestAsync(string rewardId, string description = "integration test")
    {
        var reply = await SendAsync(HttpMethod.Post, "/api/quests", _adminToken, QuestBody(UniqueName("quest"), rewardId, description));
        reply.AssertStatus(HttpStatusCode.Created);
        _created.Add(reply.Location?.OriginalString ?? "");
        return reply.Json;
    }

    private static string QuestBody(string name, string rewardId, string description = "integration test", int streak = 3, int duplication = 2, bool autoClaim = false) =>
        Json(new { name, description, streak, duplication, auto_claim = autoClaim, reward_id = rewardId });

    private static string Json(object value) => JsonSerializer.Serialize(value);

    private static string UniqueName(string kind) => $"it-{kind}-{Guid.NewGuid():N}";

    private static string[] Fields(params string[] fields) => fields;

    private static void SetOrRemove(JsonObject body, string field, string? value)
    {
        if (value is null)
        {
            body.Remove(field);
        }
        else
        {
            body[field] = JsonNode.Parse(value);
        }
    }

    private static async Task<string> CatalogKeysAsync(ConnectionMultiplexer redis)
    {
        var server = redis.GetServers().First();
        var keys = new List<string>();
        await foreach (var key in server.KeysAsync(pattern: "catalog:*").WithCancellation(Cancellation))
        {
            keys.Add(key.ToString());
        }

        return string.Join(", ", keys);
    }

    private Task<Reply> SendAsync(HttpMethod method, string path, string? token = null, string? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return SendAsync(request);
    }

    private async Task<Reply> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            var what = $"{request.Method} {request.RequestUri}";
            try
            {
                using var response = await _http.SendAsync(request, Cancellation).WaitAsync(RequestTimeout, Cancellation);
                var body = await response.Content.ReadAsStringAsync(Cancellation).WaitAsync(RequestTimeout, Cancellation);
                return new Reply(what, response.StatusCode, response.Content.Headers.ContentType?.MediaType, response.Headers.Location, body);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"{what} got no answer within {RequestTimeout}");
            }
        }
    }

    private sealed record Reply(string Request, HttpStatusCode Status, string? ContentType, Uri? Location, string Body)
    {
        private JsonElement? _json;

        public JsonElement Json => _json ??= Parse();

        public void AssertStatus(HttpStatusCode expected) =>
            Assert.True(Status == expected, $"{Request}: expected {(int)expected}, got {(int)Status} {ContentType}: {Body}");

        /// <summary>An error status with an RFC 7807 body that repeats it.</summary>
        public void AssertProblem(HttpStatusCode expected)
        {
            AssertStatus(expected);
            Assert.True(ContentType == ProblemJson, $"{Request}: expected {ProblemJson}, got {ContentType}: {Body}");
            Assert.True(Json.TryGetProperty("status", out var status) && status.GetInt32() == (int)expected, $"{Request}: the problem's status is not {(int)expected}: {Body}");
            Assert.True(Json.TryGetProperty("title", out _), $"{Request}: the problem has no title: {Body}");
        }

        /// <summary>409 with problem details whose field errors name only <c>name</c>.</summary>
        public void AssertNameConflict()
        {
            AssertProblem(HttpStatusCode.Conflict);
            Assert.True(Json.TryGetProperty("errors", out var errors) && errors.EnumerateObject().Select(e => e.Name).SequenceEqual(["name"]),
                $"{Request}: the conflict does not name the field: {Body}");
        }

        public void AssertValidationErrors(string[] fields)
        {
            AssertProblem(HttpStatusCode.BadRequest);
            Assert.True(Json.TryGetProperty("errors", out var errors), $"{Request}: no field errors: {Body}");
            var seen = errors.EnumerateObject().Select(e => e.Name).Order().ToArray();
            Assert.True(seen.SequenceEqual(fields.Order()), $"{Request}: expected errors on [{string.Join(", ", fields)}], saw [{string.Join(", ", seen)}]: {Body}");
        }

        private JsonElement Parse()
        {
            try
            {
                using var document = JsonDocument.Parse(Body);
                return document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                Assert.Fail($"{Request}: {(int)Status} body is not JSON ({e.Message}): {Body}");
                throw;
            }
        }
    }
}
