using System.Text.Json;
using QuestAspire.Catalog.Api.Contracts;
using QuestAspire.Quests;
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

    [Fact]
    public void QuestResponse_Settings_AreFlatAfterTheReward_AndReadBack()
    {
        var reward = new RewardResponse(Guid.Parse("0199a1b2-0000-7000-8000-000000000001"), "coins", RewardItem.Gold, 5, true, Version: 1);
        var precondition = Guid.Parse("0199a1b2-0000-7000-8000-000000000003");
        var settings = new QuestSettings("purchase", QuestSettings.CountKind, 0, "0 0 * * MON", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), null, [precondition], QuestSettings.SumMode);
        var quest = new QuestResponse(Guid.Parse("0199a1b2-0000-7000-8000-000000000002"), "spend", "Spend 100", 100, 1, true, true, Version: 2, reward) { Settings = settings };

        var json = JsonSerializer.Serialize(quest, ApiDefaults.JsonOptions);

        Assert.EndsWith(
            """
            "version":1},"event_type":"purchase","kind":"count","freezes":0,"reset":"0 0 * * MON","starts_at":"2026-01-01T00:00:00+00:00","ends_at":null,"precondition_ids":["0199a1b2-0000-7000-8000-000000000003"],"value_mode":"sum"}
            """,
            json);
        Assert.DoesNotContain("settings", json, StringComparison.Ordinal);
        Assert.Equal(quest, JsonSerializer.Deserialize<QuestResponse>(json, ApiDefaults.JsonOptions));
    }

    [Fact]
    public void QuestRequest_ReadsTheFlatSettings_AsItsSettingsInput()
    {
        var request = JsonSerializer.Deserialize<QuestRequest>(
            """{"name":"q","event_type":"purchase","freezes":2,"precondition_ids":["0199a1b2-0000-7000-8000-000000000003"],"value_mode":"sum"}""", ApiDefaults.JsonOptions);

        var settings = request!.Settings;
        Assert.Equal(("purchase", null, 2, "sum"), (settings.EventType, settings.Kind, settings.Freezes, settings.ValueMode));
        Assert.Equal([Guid.Parse("0199a1b2-0000-7000-8000-000000000003")], settings.PreconditionIds!);
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
