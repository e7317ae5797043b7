using Microsoft.Extensions.Logging.Abstractions;
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
}
