namespace QuestAspire.Auth.Api.UnitTests;

public sealed class WalletBatchTests
{
    private static readonly Guid Alice = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid Bob = Guid.Parse("00000000-0000-0000-0000-00000000000b");

    private static WalletWrite Spend(Guid user, long qty, long? expected = null, RewardItem item = RewardItem.Gold) =>
        new(new WalletChange(user, item, -qty, LedgerSource.Spend, "test"), expected);

    private static WalletWrite Credit(Guid user, long qty, RewardItem item = RewardItem.Gold) =>
        new(new WalletChange(user, item, qty, LedgerSource.AdminAdjustment, "test"));

    private static WalletOutcome[] Decide(Dictionary<Guid, WalletState> wallets, params WalletWrite[] writes)
    {
        var next = 0;
        return WalletBatch.Decide(writes, wallets, () => new Guid(++next, 0, 0, new byte[8]));
    }

    [Fact]
    public void EachSpendSeesTheBalanceTheOneBeforeLeft_AndTheOneThatWouldGoNegativeIsRefused()
    {
        var wallets = new Dictionary<Guid, WalletState> { [Alice] = new(Gold: 10, Diamond: 0, Version: 3) };

        var outcomes = Decide(wallets, Spend(Alice, 4), Spend(Alice, 4), Spend(Alice, 4), Spend(Alice, 2));

        Assert.Equal([true, true, false, true], outcomes.Select(o => o.Applied));
        Assert.Equal(new WalletState(6, 0, 4), outcomes[0].Wallet);
        Assert.Equal(new WalletState(2, 0, 5), outcomes[1].Wallet);
        Assert.Equal(WalletRefusal.InsufficientFunds, outcomes[2].Refusal);
        Assert.Equal(new WalletState(2, 0, 5), outcomes[2].Current);
        Assert.Equal(new WalletState(0, 0, 6), outcomes[3].Wallet);
        Assert.Equal(new WalletState(0, 0, 6), wallets[Alice]);
    }

    [Fact]
    public void EveryAppliedChangeGetsItsOwnEntry_ARefusalNone()
    {
        var wallets = new Dictionary<Guid, WalletState> { [Alice] = new(1, 0, 0) };

        var outcomes = Decide(wallets, Spend(Alice, 1), Spend(Alice, 1), Credit(Alice, 5));

        Assert.Equal(Guid.Empty, outcomes[1].EntryId);
        Assert.Equal(2, new[] { outcomes[0].EntryId, outcomes[2].EntryId }.Distinct().Count(id => id != Guid.Empty));
    }

    [Fact]
    public void IfMatchIsComparedWithTheVersionTheWriteBeforeLeft()
    {
        var wallets = new Dictionary<Guid, WalletState> { [Alice] = new(100, 0, 7) };

        var outcomes = Decide(wallets, Spend(Alice, 1, expected: 7), Spend(Alice, 1, expected: 7), Spend(Alice, 1, expected: 8));

        Assert.True(outcomes[0].Applied);
        Assert.Equal(WalletRefusal.StaleVersion, outcomes[1].Refusal);
        Assert.Equal(8, outcomes[1].Current!.Version);
        Assert.True(outcomes[2].Applied);
        Assert.Equal(new WalletState(98, 0, 9), wallets[Alice]);
    }

    [Fact]
    public void AStaleVersionIsSaidBeforeInsufficientFunds()
    {
        var wallets = new Dictionary<Guid, WalletState> { [Alice] = new(0, 0, 2) };

        Assert.Equal(WalletRefusal.StaleVersion, Decide(wallets, Spend(Alice, 5, expected: 1))[0].Refusal);
    }

    [Fact]
    public void ACreditPastTheMostAWalletHoldsIsRefused_UpToItIsApplied()
    {
        var wallets = new Dictionary<Guid, WalletState> { [Alice] = new(0, long.MaxValue - 5, 0) };

        var outcomes = Decide(wallets, Credit(Alice, 6, RewardItem.Diamond), Credit(Alice, 5, RewardItem.Diamond), Credit(Alice, 1, RewardItem.Diamond));

        Assert.Equal(WalletRefusal.Overflow, outcomes[0].Refusal);
        Assert.Equal(long.MaxValue, outcomes[1].Wallet!.Diamond);
        Assert.Equal(WalletRefusal.Overflow, outcomes[2].Refusal);
    }

    [Fact]
    public void PlayersAreIndependent_AndAPlayerNotReadIsNotFound()
    {
        var wallets = new Dictionary<Guid, WalletState> { [Alice] = new(1, 0, 0), [Bob] = new(0, 3, 0) };

        var outcomes = Decide(wallets, Spend(Alice, 1), Spend(Bob, 3, item: RewardItem.Diamond), Spend(Guid.NewGuid(), 1));

        Assert.Equal(new WalletState(0, 0, 1), wallets[Alice]);
        Assert.Equal(new WalletState(0, 0, 1), wallets[Bob]);
        Assert.Equal(WalletRefusal.UserNotFound, outcomes[2].Refusal);
        Assert.Null(outcomes[2].Current);
    }

    [Fact]
    public void AnItemIsCheckedOnItsOwnBalance()
    {
        var wallets = new Dictionary<Guid, WalletState> { [Alice] = new(Gold: 50, Diamond: 0, Version: 0) };

        Assert.Equal(WalletRefusal.InsufficientFunds, Decide(wallets, Spend(Alice, 1, item: RewardItem.Diamond))[0].Refusal);
    }

    [Fact]
    public void AZeroChangeIsABug()
    {
        var wallets = new Dictionary<Guid, WalletState> { [Alice] = new(1, 0, 0) };

        Assert.Throws<ArgumentOutOfRangeException>(() => Decide(wallets, Spend(Alice, 0)));
    }
}

public sealed class WalletRulesTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData(" * ", null)]
    [InlineData("\"12\"", 12L)]
    [InlineData("W/\"12\"", 12L)]
    [InlineData("12", -1L)]
    [InlineData("\"-3\"", -1L)]
    [InlineData("\"\"", -1L)]
    [InlineData("\"1 2\"", -1L)]
    public void ExpectedVersion_ReadsOurETagsAndMakesAnythingElseNeverMatch(string? ifMatch, long? expected)
    {
        Assert.Equal(expected, WalletRules.ExpectedVersion(ifMatch));
    }

    [Fact]
    public void ETag_IsWhatExpectedVersionReads()
    {
        Assert.Equal(42, WalletRules.ExpectedVersion(WalletRules.ETag(42)));
    }
}
