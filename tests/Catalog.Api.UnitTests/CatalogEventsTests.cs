using System.Text.Json;
using QuestAspire.Catalog.Api.Services;
using QuestAspire.EventBus;

namespace QuestAspire.Catalog.Api.UnitTests;

/// <summary>The catalog's events against the fixed contract (/work/notes/catalog-contract.md).</summary>
public sealed class CatalogEventsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid Admin = Guid.Parse("0199a1b2-0000-7000-8000-0000000000ad");

    [Fact]
    public void QuestChanged_Payload_HasTheContractShape()
    {
        var reward = NewReward("diamonds", RewardItem.Diamond, 10);
        var quest = NewQuest("signin_three", reward);

        var (version, changed) = Assert.Single(CatalogEvents.Stamp([], [quest], firstVersion: 42, Admin, Now));

        Assert.Equal(42, version);
        var json = Envelope(changed);
        Assert.Equal(["event_id", "event_type", "user_id", "occurred_at", "data"], Names(json));
        Assert.Equal(EventNames.QuestChanged, json.GetProperty("event_type").GetString());
        Assert.Equal("QuestChanged", EventNames.QuestChanged);
        Assert.Equal(Admin, json.GetProperty("user_id").GetGuid());
        Assert.Equal(7, json.GetProperty("event_id").GetGuid().Version);
        Assert.Equal(Now, json.GetProperty("occurred_at").GetDateTimeOffset());

        var data = json.GetProperty("data");
        Assert.Equal(["catalog_version", "quest"], Names(data));
        Assert.Equal(42, data.GetProperty("catalog_version").GetInt64());
        var snapshot = data.GetProperty("quest");
        Assert.Equal(["quest_id", "name", "description", "streak", "duplication", "auto_claim", "is_active", "version", "reward", "event_type", "kind", "freezes", "reset", "starts_at", "ends_at", "precondition_ids", "value_mode"], Names(snapshot));
        Assert.Equal(42, snapshot.GetProperty("version").GetInt64());
        Assert.Equal(quest.Id, snapshot.GetProperty("quest_id").GetGuid());
        Assert.Equal(["reward_id", "name", "item", "qty", "is_active", "version"], Names(snapshot.GetProperty("reward")));
        Assert.Equal("diamond", snapshot.GetProperty("reward").GetProperty("item").GetString());
    }

    [Fact]
    public void RewardChanged_Payload_HasTheContractShape()
    {
        var reward = NewReward("gold", RewardItem.Gold, 5);

        var (_, changed) = Assert.Single(CatalogEvents.Stamp([reward], [], firstVersion: 7, CatalogEvents.SystemActor, Now));

        var json = Envelope(changed);
        Assert.Equal(EventNames.RewardChanged, json.GetProperty("event_type").GetString());
        Assert.Equal("RewardChanged", EventNames.RewardChanged);
        Assert.Equal(Guid.Parse("00000000-0000-0000-0000-000000000001"), json.GetProperty("user_id").GetGuid());
        var data = json.GetProperty("data");
        Assert.Equal(["catalog_version", "reward"], Names(data));
        Assert.Equal(7, data.GetProperty("catalog_version").GetInt64());
        Assert.Equal(
            $$"""{"reward_id":"{{reward.Id}}","name":"gold","item":"gold","qty":5,"is_active":true,"version":7}""",
            data.GetProperty("reward").GetRawText());
    }

    [Fact]
    public void RewardChange_AlsoChangesEveryQuestPayingIt_EachWithItsOwnHigherVersion()
    {
        var reward = NewReward("r", RewardItem.Gold, 1);
        var other = NewReward("other", RewardItem.Gold, 1);
        var paying = new[] { NewQuest("b", reward), NewQuest("a", reward) };
        var unrelated = NewQuest("c", other);
        reward.Apply(new RewardDefinition("r", RewardItem.Diamond, 9));

        var quests = CatalogEvents.AffectedQuests([reward], [], [.. paying, unrelated]);
        var events = CatalogEvents.Stamp([reward], quests, firstVersion: 10, Admin, Now);

        Assert.Equal([EventNames.RewardChanged, EventNames.QuestChanged, EventNames.QuestChanged], events.Select(e => e.Event.EventType));
        Assert.Equal([10L, 11L, 12L], events.Select(e => e.Version));
        Assert.Equal(["a", "b"], quests.Select(q => q.Name));
        foreach (var (version, questChanged) in events.Skip(1))
        {
            var snapshot = Envelope(questChanged).GetProperty("data").GetProperty("quest");
            Assert.Equal(version, snapshot.GetProperty("version").GetInt64());
            // The quest carries the changed reward at the reward's new version.
            Assert.Equal(10, snapshot.GetProperty("reward").GetProperty("version").GetInt64());
            Assert.Equal(9, snapshot.GetProperty("reward").GetProperty("qty").GetInt32());
        }

        Assert.Equal(0, unrelated.Version);
        Assert.Equal(3, events.Select(e => e.Event.EventId).Distinct().Count());
    }

    [Fact]
    public void AffectedQuests_CountsAQuestOnce_WhenItAndItsRewardBothChanged()
    {
        var reward = NewReward("r", RewardItem.Gold, 1);
        var quest = NewQuest("q", reward);

        var quests = CatalogEvents.AffectedQuests([reward], [quest], [quest]);

        Assert.Same(quest, Assert.Single(quests));
    }

    private static Reward NewReward(string name, RewardItem item, int qty) => Reward.Create(new RewardDefinition(name, item, qty));

    private static Quest NewQuest(string name, Reward reward) =>
        Quest.Create(new QuestDefinition(name, "d", 3, 2, false, reward.Id), reward);

    private static JsonElement Envelope(IntegrationEvent integrationEvent) =>
        JsonDocument.Parse(integrationEvent.Serialize()).RootElement;

    private static string[] Names(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];
}
