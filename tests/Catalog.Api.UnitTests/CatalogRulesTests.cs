using static QuestAspire.Catalog.Api.Model.CatalogRules;

namespace QuestAspire.Catalog.Api.UnitTests;

public sealed class CatalogRulesTests
{
    private static readonly Guid RewardId = Guid.Parse("0199a1b2-0000-7000-8000-000000000001");

    public static TheoryData<string, string?, string?, int?, int?, bool?, Guid?> InvalidQuests => new()
    {
        // case,                   name,        description, streak, duplication, auto_claim, reward_id
        { Fields.Name,             null,        "d",         3,      2,           false,      RewardId },
        { Fields.Name,             "",          "d",         3,      2,           false,      RewardId },
        { Fields.Name,             "   ",       "d",         3,      2,           false,      RewardId },
        { Fields.Name,             new string('n', MaxNameLength + 1), "d", 3, 2, false,      RewardId },
        { Fields.Name,             "tab\tname", "d",         3,      2,           false,      RewardId },
        { Fields.Description,      "q",         null,        3,      2,           false,      RewardId },
        { Fields.Description,      "q",         new string('d', MaxDescriptionLength + 1), 3, 2, false, RewardId },
        { Fields.Streak,           "q",         "d",         null,   2,           false,      RewardId },
        { Fields.Streak,           "q",         "d",         0,      2,           false,      RewardId },
        { Fields.Streak,           "q",         "d",         -1,     2,           false,      RewardId },
        { Fields.Streak,           "q",         "d",         MaxStreak + 1, 2,    false,      RewardId },
        { Fields.Duplication,      "q",         "d",         3,      null,        false,      RewardId },
        { Fields.Duplication,      "q",         "d",         3,      0,           false,      RewardId },
        { Fields.Duplication,      "q",         "d",         3,      int.MinValue, false,     RewardId },
        { Fields.Duplication,      "q",         "d",         3,      MaxDuplication + 1, false, RewardId },
        { Fields.AutoClaim,        "q",         "d",         3,      2,           null,       RewardId },
        { Fields.RewardId,         "q",         "d",         3,      2,           false,      null },
        { Fields.RewardId,         "q",         "d",         3,      2,           false,      Guid.Empty },
    };

    [Theory]
    [MemberData(nameof(InvalidQuests))]
    public void ValidateQuest_OneBadField_ReportsExactlyThatField(
        string field, string? name, string? description, int? streak, int? duplication, bool? autoClaim, Guid? rewardId)
    {
        var result = ValidateQuest(name, description, streak, duplication, autoClaim, rewardId);

        Assert.False(result.IsValid, $"expected an error on {field}, the quest was accepted");
        Assert.Null(result.Value);
        Assert.True(
            result.Errors.Keys.SequenceEqual([field]),
            $"expected errors on [{field}] only, saw {Describe(result.Errors)}");
        Assert.All(result.Errors[field], message => Assert.False(string.IsNullOrWhiteSpace(message)));
    }

    [Theory]
    [InlineData("signin_three", "Sign in 3 times", 3, 2, false)]
    [InlineData("a", "", 1, 1, true)]
    [InlineData("limits", "upper bounds are allowed", MaxStreak, MaxDuplication, true)]
    public void ValidateQuest_ValidFields_GivesTheDefinition(string name, string description, int streak, int duplication, bool autoClaim)
    {
        var result = ValidateQuest(name, description, streak, duplication, autoClaim, RewardId);

        Assert.True(result.IsValid, $"expected no errors, saw {Describe(result.Errors)}");
        Assert.Equal(new QuestDefinition(name, description, streak, duplication, autoClaim, RewardId), result.Value);
    }

    [Fact]
    public void ValidateQuest_NameIsCanonical_DescriptionIsKeptAsSent()
    {
        var result = ValidateQuest("  ｗｅｅｋｌｙ  ", "  Sign in\n\ttwice  ", 1, 1, false, RewardId);

        Assert.Equal("weekly", result.Value?.Name);
        Assert.Equal("  Sign in\n\ttwice  ", result.Value?.Description);
    }

    [Theory]
    [InlineData("week\u200Bly", "zero-width")]
    [InlineData("weekly\n", "line break")]
    [InlineData("week\u202Ely", "bidirectional override")]
    [InlineData("week\0ly", "NUL")]
    public void ValidateQuestAndReward_InvisibleOrControlCharacterInName_IsANameError(string name, string problem)
    {
        var quest = ValidateQuest(name, "d", 1, 1, false, RewardId);
        var reward = ValidateReward(name, "gold", 1);

        foreach (var errors in new[] { quest.Errors, reward.Errors })
        {
            Assert.Equal([Fields.Name], errors.Keys);
            Assert.Contains(problem, errors[Fields.Name].Single(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ValidateQuest_NulInDescription_IsADescriptionError()
    {
        var result = ValidateQuest("weekly", "sign\0in", 1, 1, false, RewardId);

        Assert.Equal([Fields.Description], result.Errors.Keys);
        Assert.Contains("NUL", result.Errors[Fields.Description].Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void Limits_OneQuestsLifetimePayout_FitsALongButNotAnInt()
    {
        Assert.True(MaxPayoutPerQuest > int.MaxValue);
        Assert.Equal(10_000_000_000L, checked((long)MaxQty * MaxDuplication));
        Assert.True(long.MaxValue / MaxPayoutPerQuest > 900_000_000);
    }

    [Fact]
    public void ValidateQuest_NothingGiven_ReportsEveryRequiredField()
    {
        var result = ValidateQuest(null, null, null, null, null, null);

        string[] expected = [Fields.Name, Fields.Description, Fields.Streak, Fields.Duplication, Fields.AutoClaim, Fields.RewardId];
        Assert.True(result.Errors.Keys.Order().SequenceEqual(expected.Order()), $"saw {Describe(result.Errors)}");
    }

    public static TheoryData<string, string?, string?, int?> InvalidRewards => new()
    {
        // case,          name,      item,       qty
        { Fields.Name,    null,      "gold",     10 },
        { Fields.Name,    " ",       "gold",     10 },
        { Fields.Name,    new string('n', MaxNameLength + 1), "gold", 10 },
        { Fields.Item,    "r",       null,       10 },
        { Fields.Item,    "r",       "",         10 },
        { Fields.Item,    "r",       "silver",   10 },
        { Fields.Item,    "r",       "Gold",     10 },
        { Fields.Item,    "r",       "DIAMOND",  10 },
        { Fields.Item,    "r",       " gold",    10 },
        { Fields.Qty,     "r",       "diamond",  null },
        { Fields.Qty,     "r",       "diamond",  0 },
        { Fields.Qty,     "r",       "diamond",  -5 },
        { Fields.Qty,     "r",       "diamond",  MaxQty + 1 },
    };

    [Theory]
    [MemberData(nameof(InvalidRewards))]
    public void ValidateReward_OneBadField_ReportsExactlyThatField(string field, string? name, string? item, int? qty)
    {
        var result = ValidateReward(name, item, qty);

        Assert.False(result.IsValid, $"expected an error on {field}, the reward was accepted");
        Assert.True(
            result.Errors.Keys.SequenceEqual([field]),
            $"expected errors on [{field}] only, saw {Describe(result.Errors)}");
    }

    [Theory]
    [InlineData("signin_three", "diamond", 10, RewardItem.Diamond)]
    [InlineData("coins", "gold", 1, RewardItem.Gold)]
    [InlineData("jackpot", "gold", MaxQty, RewardItem.Gold)]
    public void ValidateReward_ValidFields_GivesTheDefinition(string name, string item, int qty, RewardItem expectedItem)
    {
        var result = ValidateReward(name, item, qty);

        Assert.True(result.IsValid, $"expected no errors, saw {Describe(result.Errors)}");
        Assert.Equal(new RewardDefinition(name, expectedItem, qty), result.Value);
    }

    [Fact]
    public void ValidateReward_NothingGiven_ReportsEveryRequiredField()
    {
        var result = ValidateReward(null, null, null);

        string[] expected = [Fields.Item, Fields.Name, Fields.Qty];
        Assert.True(result.Errors.Keys.Order().SequenceEqual(expected), $"saw {Describe(result.Errors)}");
    }

    private static string Describe(IReadOnlyDictionary<string, string[]> errors) =>
        errors.Count == 0 ? "none" : string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
}
