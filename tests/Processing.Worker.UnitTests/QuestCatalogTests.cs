using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using QuestAspire.ServiceDefaults.Api;
using QuestAspire.Processing.Worker.Services;

namespace QuestAspire.Processing.Worker.UnitTests;

/// <summary>The worker's quest rules, derived from its own catalog copy.</summary>
public sealed class QuestCatalogTests
{
    private static readonly Guid SignInThree = Guid.Parse("0199a8f0-0000-7000-8000-000000000001");
    private static readonly Guid Retired = Guid.Parse("0199a8f0-0000-7000-8000-000000000002");
    private static readonly Guid Broken = Guid.Parse("0199a8f0-0000-7000-8000-000000000003");

    private readonly CatalogCopy<CatalogQuest> _copy = new();
    private readonly QuestCatalog _catalog;

    public QuestCatalogTests() => _catalog = new QuestCatalog(_copy, NullLogger<QuestCatalog>.Instance);

    private static CatalogQuest Quest(Guid id, string name, int streak, int duplication, bool active = true, long version = 1, bool autoClaim = false) =>
        new(id, name, streak, duplication, autoClaim, active, version, new CatalogReward("diamond", 10));

    [Fact]
    public async Task GetAsync_LoadedCopy_GivesAllQuestsAndTheActiveOnes_WithWhatTheyPay()
    {
        _copy.Load([Quest(SignInThree, "signin_three", 3, 2, version: 4), Quest(Retired, "retired", 1, 1, active: false, version: 2)]);

        var snapshot = await _catalog.GetAsync(TestContext.Current.CancellationToken);

        Assert.Equal([SignInThree, Retired], snapshot.Quests.Keys.Order());
        var active = Assert.Single(snapshot.Active);
        Assert.Equal(new QuestRule(SignInThree, "signin_three", 3, 2) { RewardItem = "diamond", RewardQty = 10, Version = 4 }, active);
        Assert.Equal(4, snapshot.Version);
    }

    [Fact]
    public async Task GetAsync_BeforeTheFirstLoad_Waits()
    {
        var reading = _catalog.GetAsync(TestContext.Current.CancellationToken).AsTask();
        Assert.False(reading.IsCompleted);
        Assert.False(_catalog.IsLoaded);

        _copy.Load([Quest(SignInThree, "signin_three", 3, 2)]);

        var snapshot = await reading.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Single(snapshot.Active);
    }

    [Fact]
    public void Current_AChangeFromAnEvent_IsSeenByTheNextRead_AndOnlyThenRebuilt()
    {
        _copy.Load([Quest(SignInThree, "signin_three", 3, 2)]);
        var before = _catalog.Current();
        Assert.Same(before, _catalog.Current());

        _copy.Apply(Quest(SignInThree, "signin_three", 3, 2, active: false, version: 2));

        var after = _catalog.Current();
        Assert.Empty(after.Active);
        Assert.Equal(2, after.Version);
    }

    [Fact]
    public void Current_AnInvalidQuest_IsIgnoredAndTheOthersStay()
    {
        _copy.Load([Quest(SignInThree, "signin_three", 3, 2), Quest(Broken, "broken", 0, 1)]);

        var snapshot = _catalog.Current();

        Assert.Equal([SignInThree], snapshot.Quests.Keys);
    }

    [Fact]
    public void ToRule_ASnapshotWithoutSettings_IsTheSeedQuestsKind()
    {
        var quest = JsonSerializer.Deserialize<CatalogQuest>(
            """{"quest_id":"0199a8f0-0000-7000-8000-000000000001","name":"old","streak":3,"duplication":1,"auto_claim":false,"is_active":true,"version":1,"reward":{"item":"gold","qty":1}}""",
            ApiDefaults.JsonOptions)!;

        var rule = QuestCatalog.ToRule(quest);

        Assert.Equal((QuestRule.SignInType, QuestKind.Count, 0, ValueMode.Count), (rule.EventType, rule.Kind, rule.Freezes, rule.ValueMode));
        Assert.Empty(rule.PreconditionIds);
    }

    [Fact]
    public void ToRule_ASnapshotsSettings_AreReadFromItsFlatFields()
    {
        var quest = JsonSerializer.Deserialize<CatalogQuest>(
            """{"quest_id":"0199a8f0-0000-7000-8000-000000000001","name":"streak","streak":5,"duplication":1,"auto_claim":false,"is_active":true,"version":1,"reward":{"item":"gold","qty":1},"event_type":"purchase","kind":"daily_streak","freezes":2,"precondition_ids":["0199a8f0-0000-7000-8000-000000000002"]}""",
            ApiDefaults.JsonOptions)!;

        var rule = QuestCatalog.ToRule(quest);

        Assert.Equal(("purchase", QuestKind.DailyStreak, 2), (rule.EventType, rule.Kind, rule.Freezes));
        Assert.Equal([Retired], rule.PreconditionIds);
    }

    [Fact]
    public void ToRule_NegativeFreezes_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => QuestCatalog.ToRule(Quest(SignInThree, "q", 3, 1) with { Kind = "daily_streak", Freezes = -1 }));
    }
}
