using System.Text.Json;
using QuestAspire.Catalog.Api.Contracts;
using QuestAspire.Catalog.Api.IntegrationEvents.Events;
using QuestAspire.Catalog.Api.Services;
using QuestAspire.ServiceDefaults.Api;

namespace QuestAspire.Catalog.Api.UnitTests;

/// <summary>The projector's apply rule: a higher version wins, so duplicates and order do not matter.</summary>
public sealed class CatalogProjectionTests
{
    private static readonly Guid QuestId = Guid.Parse("0199a1b2-0000-7000-8000-000000000010");
    private static readonly Guid RewardId = Guid.Parse("0199a1b2-0000-7000-8000-000000000020");

    [Theory]
    [InlineData(1, null, true)]
    [InlineData(5, 4L, true)]
    [InlineData(4, 4L, false)]
    [InlineData(3, 4L, false)]
    public void Supersedes_OnlyAHigherVersion(long incoming, long? held, bool expected) =>
        Assert.Equal(expected, CatalogProjection.Supersedes(incoming, held));

    [Fact]
    public void Apply_HigherVersion_ReplacesTheView()
    {
        var (projection, quests, _) = NewProjection();
        projection.Apply(Quest(version: 3, name: "old", active: true));

        var applied = projection.Apply(Quest(version: 5, name: "new", active: false));

        Assert.True(applied);
        var view = quests[QuestId];
        Assert.Equal(("new", false, 5L), (view.Name, view.IsActive, view.Version));
        Assert.Equal(Quest(version: 5, name: "new", active: false), CatalogProjection.ReadQuest(view.Document));
    }

    [Fact]
    public void Apply_SameOrLowerVersion_ChangesNothing()
    {
        var (projection, quests, rewards) = NewProjection();
        projection.Apply(Quest(version: 5, name: "current", active: true));
        projection.Apply(Reward(version: 4, qty: 9));
        var before = (quests[QuestId].Document, rewards[RewardId].Document);

        Assert.False(projection.Apply(Quest(version: 5, name: "duplicate", active: false)));
        Assert.False(projection.Apply(Quest(version: 2, name: "stale", active: false)));
        Assert.False(projection.Apply(Reward(version: 1, qty: 1)));

        Assert.Equal(before, (quests[QuestId].Document, rewards[RewardId].Document));
    }

    [Fact]
    public void Apply_AnyOrderAndDuplicates_EndsInTheSameViews()
    {
        (string Type, string Data)[] events =
        [
            QuestChanged(Quest(version: 2, name: "v2", active: true)),
            RewardChanged(Reward(version: 3, qty: 7)),
            QuestChanged(Quest(version: 4, name: "v4", active: false)),
            QuestChanged(Quest(version: 6, name: "v6", active: true)),
            RewardChanged(Reward(version: 5, qty: 8)),
        ];
        var (inOrder, expectedQuests, expectedRewards) = NewProjection();
        foreach (var (type, data) in events)
        {
            inOrder.Apply(type, data);
        }

        var (shuffled, quests, rewards) = NewProjection();
        foreach (var (type, data) in events.Reverse().Concat(events).Concat([events[1], events[0]]))
        {
            shuffled.Apply(type, data);
        }

        Assert.Equal(expectedQuests[QuestId].Document, quests[QuestId].Document);
        Assert.Equal(expectedRewards[RewardId].Document, rewards[RewardId].Document);
        Assert.Equal(("v6", 6L), (quests[QuestId].Name, quests[QuestId].Version));
        Assert.Equal(8, CatalogProjection.ReadReward(rewards[RewardId].Document).Qty);
    }

    [Fact]
    public void Apply_UnknownEventType_IsIgnored()
    {
        var (projection, quests, rewards) = NewProjection();

        Assert.False(projection.Apply("SomethingElse", "{}"));
        Assert.Empty(quests);
        Assert.Empty(rewards);
    }

    private static (CatalogProjection Projection, Dictionary<Guid, QuestView> Quests, Dictionary<Guid, RewardView> Rewards) NewProjection()
    {
        var quests = new Dictionary<Guid, QuestView>();
        var rewards = new Dictionary<Guid, RewardView>();
        return (new CatalogProjection(quests, rewards), quests, rewards);
    }

    private static RewardResponse Reward(long version, int qty) => new(RewardId, "r", RewardItem.Gold, qty, true, version);

    private static QuestResponse Quest(long version, string name, bool active) =>
        new(QuestId, name, "d", 3, 2, false, active, version, Reward(version: 1, qty: 1));

    private static (string Type, string Data) QuestChanged(QuestResponse quest) =>
        (EventNames.QuestChanged, JsonSerializer.Serialize(new QuestChangedData(quest.Version, quest), ApiDefaults.JsonOptions));

    private static (string Type, string Data) RewardChanged(RewardResponse reward) =>
        (EventNames.RewardChanged, JsonSerializer.Serialize(new RewardChangedData(reward.Version, reward), ApiDefaults.JsonOptions));
}
