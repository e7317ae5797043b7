namespace QuestAspire.Catalog.Api.UnitTests;

public sealed class QuestTests
{
    private static readonly Reward Diamonds = Reward.Create(new RewardDefinition("signin_three", RewardItem.Diamond, 10));

    [Fact]
    public void Create_GivesAnActiveQuestPayingTheReward()
    {
        var quest = Quest.Create(new QuestDefinition("signin_three", "Sign in 3 times", 3, 2, false, Diamonds.Id), Diamonds);

        Assert.NotEqual(Guid.Empty, quest.Id);
        Assert.True(quest.IsActive);
        Assert.Equal((3, 2, false), (quest.Streak, quest.Duplication, quest.AutoClaim));
        Assert.Same(Diamonds, quest.Reward);
        Assert.Equal(Diamonds.Id, quest.RewardId);
    }

    [Fact]
    public void Apply_ChangesTheDefinition_KeepsIdAndActivity()
    {
        var quest = Quest.Create(new QuestDefinition("q", "d", 3, 2, false, Diamonds.Id), Diamonds);
        var gold = Reward.Create(new RewardDefinition("gold", RewardItem.Gold, 5));
        var id = quest.Id;
        quest.Deactivate();

        quest.Apply(new QuestDefinition("q2", "d2", 5, 1, true, gold.Id), gold);

        Assert.Equal(id, quest.Id);
        Assert.False(quest.IsActive);
        Assert.Equal(("q2", "d2", 5, 1, true, gold.Id), (quest.Name, quest.Description, quest.Streak, quest.Duplication, quest.AutoClaim, quest.RewardId));
    }

    [Theory]
    [InlineData(true, null, true)]
    [InlineData(false, null, false)]
    [InlineData(true, false, false)]
    [InlineData(false, true, true)]
    [InlineData(false, false, false)]
    public void SetActive_LeftOut_KeepsTheState_OtherwiseSetsIt(bool before, bool? requested, bool after)
    {
        var quest = Quest.Create(new QuestDefinition("q", "d", 3, 2, false, Diamonds.Id), Diamonds);
        quest.SetActive(before);

        quest.SetActive(requested);

        Assert.Equal(after, quest.IsActive);
    }

    [Fact]
    public void Deactivate_Twice_StaysInactive()
    {
        var reward = Reward.Create(new RewardDefinition("r", RewardItem.Gold, 1));

        reward.Deactivate();
        reward.Deactivate();

        Assert.False(reward.IsActive);
    }
}
