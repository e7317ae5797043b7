using QuestAspire.Quests;
using static QuestAspire.Catalog.Api.Model.CatalogRules;

namespace QuestAspire.Catalog.Api.UnitTests;

/// <summary>The rules a valid quest definition must follow against the catalog: its reward and its preconditions.</summary>
public sealed class QuestInCatalogTests
{
    private static readonly Guid A = Guid.Parse("0199a1b2-0000-7000-8000-00000000000a");
    private static readonly Guid B = Guid.Parse("0199a1b2-0000-7000-8000-00000000000b");
    private static readonly Guid C = Guid.Parse("0199a1b2-0000-7000-8000-00000000000c");
    private static readonly Guid D = Guid.Parse("0199a1b2-0000-7000-8000-00000000000d");
    private static readonly Guid Unknown = Guid.Parse("0199a1b2-0000-7000-8000-0000000000ff");

    private static readonly Reward Diamonds = Reward.Create(new RewardDefinition("diamonds", RewardItem.Diamond, 10));

    [Fact]
    public void CheckPreconditions_None_Pass()
    {
        Assert.Null(CheckPreconditions([], B, Graph()));
        Assert.Null(CheckPreconditions([], self: null, Graph()));
    }

    [Fact]
    public void CheckPreconditions_TheQuestItself_IsRefused()
    {
        var error = CheckPreconditions([A, B], B, Graph((A, []), (B, [])));

        Assert.Equal("A quest cannot be its own precondition.", error);
    }

    [Fact]
    public void CheckPreconditions_AnUnknownQuest_IsNamed()
    {
        var error = CheckPreconditions([A, Unknown], self: null, Graph((A, [])));

        Assert.Equal($"No quest has id {Unknown}.", error);
    }

    [Fact]
    public void CheckPreconditions_OneThatRequiresTheQuest_IsACycle()
    {
        // A requires B; B may not now require A.
        var error = CheckPreconditions([A], B, Graph((A, [B]), (B, [])));

        Assert.Contains("cycle", error, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckPreconditions_OneThatRequiresTheQuestThroughOthers_IsACycle()
    {
        // A requires C, C requires D, D requires B: B requiring A closes the loop three steps away.
        var error = CheckPreconditions([C, A], B, Graph((A, [C]), (C, [D]), (D, [B]), (B, [])));

        Assert.Contains("cycle", error, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckPreconditions_SharedAndChainedWithoutTheQuest_Pass()
    {
        // A and C both require D (a diamond, D reached twice), none of them requires B.
        Assert.Null(CheckPreconditions([A, C], B, Graph((A, [D]), (C, [D]), (D, []), (B, []))));
    }

    [Fact]
    public void CheckPreconditions_ACycleElsewhere_EndsAndPasses()
    {
        // A and C require each other (stored before cycles were refused): the search must not loop on them.
        Assert.Null(CheckPreconditions([A], B, Graph((A, [C]), (C, [A]), (B, []))));
    }

    [Fact]
    public void CheckPreconditions_NewQuest_CannotMakeACycle()
    {
        // Nothing can require a quest that does not exist yet.
        Assert.Null(CheckPreconditions([A], self: null, Graph((A, [C]), (C, []))));
    }

    [Fact]
    public void CheckQuestInCatalog_NoSuchReward_IsARewardError()
    {
        var result = CheckQuestInCatalog(Definition(Unknown), current: null, reward: null, Graph());

        Assert.False(result.IsValid);
        Assert.Equal([Fields.RewardId], result.Errors.Keys);
        Assert.Equal($"No reward has id {Unknown}.", result.Errors[Fields.RewardId].Single());
    }

    [Fact]
    public void CheckQuestInCatalog_InactiveReward_IsRefusedOnANewQuest()
    {
        var inactive = Inactive(Reward.Create(new RewardDefinition("old", RewardItem.Gold, 1)));

        var result = CheckQuestInCatalog(Definition(inactive.Id), current: null, inactive, Graph());

        Assert.Equal([Fields.RewardId], result.Errors.Keys);
        Assert.Equal($"Reward {inactive.Id} is inactive.", result.Errors[Fields.RewardId].Single());
    }

    [Fact]
    public void CheckQuestInCatalog_InactiveReward_StaysOnTheQuestThatPaysIt_ButMovesToNoOther()
    {
        var inactive = Inactive(Reward.Create(new RewardDefinition("old", RewardItem.Gold, 1)));
        var payer = Quest.Create(Definition(inactive.Id), inactive);
        var other = Quest.Create(Definition(Diamonds.Id), Diamonds);

        var definition = Definition(inactive.Id);

        var kept = CheckQuestInCatalog(definition, payer, inactive, Graph());
        var moved = CheckQuestInCatalog(definition, other, inactive, Graph());

        Assert.True(kept.IsValid, $"the quest paying the inactive reward could not keep it: {string.Join("; ", kept.Errors.Keys)}");
        Assert.Same(definition, kept.Value);
        Assert.Equal([Fields.RewardId], moved.Errors.Keys);
    }

    [Fact]
    public void CheckQuestInCatalog_RewardAndPreconditionWrong_ReportsBothInThatOrder()
    {
        var quest = Quest.Create(Definition(Diamonds.Id), Diamonds);

        var result = CheckQuestInCatalog(Definition(Unknown, [quest.Id]), quest, reward: null, Graph((quest.Id, [])));

        Assert.Equal([Fields.RewardId, Fields.PreconditionIds], result.Errors.Keys);
        Assert.Equal("A quest cannot be its own precondition.", result.Errors[Fields.PreconditionIds].Single());
    }

    [Fact]
    public void CheckQuestInCatalog_ActiveRewardAndKnownPreconditions_GivesTheDefinition()
    {
        var definition = Definition(Diamonds.Id, [A]);

        var result = CheckQuestInCatalog(definition, current: null, Diamonds, Graph((A, [])));

        Assert.True(result.IsValid, $"saw errors on {string.Join(", ", result.Errors.Keys)}");
        Assert.Same(definition, result.Value);
    }

    private static QuestDefinition Definition(Guid rewardId, IReadOnlyList<Guid>? preconditions = null) =>
        new("q", "d", 1, 1, AutoClaim: true, rewardId) { Settings = QuestSettings.Default with { PreconditionIds = preconditions ?? [] } };

    private static Reward Inactive(Reward reward)
    {
        reward.Deactivate();
        return reward;
    }

    private static Dictionary<Guid, IReadOnlyList<Guid>> Graph(params (Guid Quest, Guid[] Requires)[] quests) =>
        quests.ToDictionary(q => q.Quest, q => (IReadOnlyList<Guid>)q.Requires);
}
