using System.Text.Json;
using QuestAspire.Catalog.Api.Contracts;
using QuestAspire.ServiceDefaults.Api;

namespace QuestAspire.Catalog.Api.UnitTests;

/// <summary>The wire shape other services depend on: names and enum spellings never change.</summary>
public sealed class ContractsTests
{
    [Fact]
    public void QuestResponse_Serializes_WithTheContractNames()
    {
        var reward = new RewardResponse(Guid.Parse("0199a1b2-0000-7000-8000-000000000001"), "signin_three", RewardItem.Diamond, 10, true, Version: 1);
        var quest = new QuestResponse(Guid.Parse("0199a1b2-0000-7000-8000-000000000002"), "signin_three", "Sign in 3 times", 3, 2, false, true, Version: 2, reward);

        var json = JsonSerializer.Serialize(quest, ApiDefaults.JsonOptions);

        Assert.Equal(
            """{"quest_id":"0199a1b2-0000-7000-8000-000000000002","name":"signin_three","description":"Sign in 3 times","streak":3,"duplication":2,"auto_claim":false,"is_active":true,"version":2,"reward":{"reward_id":"0199a1b2-0000-7000-8000-000000000001","name":"signin_three","item":"diamond","qty":10,"is_active":true,"version":1},"event_type":"sign_in","kind":"count","freezes":0,"reset":null,"starts_at":null,"ends_at":null,"precondition_ids":[],"value_mode":"count"}""",
            json);
    }

    [Theory]
    [InlineData(RewardItem.Gold, "\"gold\"")]
    [InlineData(RewardItem.Diamond, "\"diamond\"")]
    public void RewardItem_IsLowercaseOnTheWire(RewardItem item, string expected)
    {
        Assert.Equal(expected, JsonSerializer.Serialize(item, ApiDefaults.JsonOptions));
        Assert.Equal(item, JsonSerializer.Deserialize<RewardItem>(expected, ApiDefaults.JsonOptions));
    }

    [Fact]
    public void QuestRequest_ReadsSnakeCase_AndLeavesMissingFieldsNull()
    {
        var request = JsonSerializer.Deserialize<QuestRequest>(
            """{"name":"q","auto_claim":true,"reward_id":"0199a1b2-0000-7000-8000-000000000001"}""", ApiDefaults.JsonOptions);

        Assert.Equal(new QuestRequest("q", null, null, null, true, Guid.Parse("0199a1b2-0000-7000-8000-000000000001")), request);
    }

    [Fact]
    public void Requests_ReadAnOptionalIsActive()
    {
        var quest = JsonSerializer.Deserialize<QuestRequest>("""{"name":"q","is_active":false}""", ApiDefaults.JsonOptions);
        var reward = JsonSerializer.Deserialize<RewardRequest>("""{"name":"r","is_active":true}""", ApiDefaults.JsonOptions);

        Assert.Equal(false, quest?.IsActive);
        Assert.Equal(true, reward?.IsActive);
    }
}
