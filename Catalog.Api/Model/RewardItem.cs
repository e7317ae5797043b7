using System.Text.Json.Serialization;

namespace QuestAspire.Catalog.Api.Model;

/// <summary>What a reward credits to the wallet. The wire and database names are lowercase.</summary>
public enum RewardItem
{
    [JsonStringEnumMemberName("gold")]
    Gold,

    [JsonStringEnumMemberName("diamond")]
    Diamond,
}
