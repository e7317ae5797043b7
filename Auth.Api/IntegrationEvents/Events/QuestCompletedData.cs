using System.Text.Json.Serialization;

namespace QuestAspire.Auth.Api.IntegrationEvents.Events;

/// <summary>
/// The data of a <c>QuestCompleted</c> event, as Processing.Worker publishes it: the quest and what
/// it paid at completion. The reward fields are required: an event without them cannot be read
/// (a <see cref="System.Text.Json.JsonException"/>, a permanent failure) and is dead-lettered as malformed.
/// </summary>
public sealed record QuestCompletedData(
    Guid QuestId, string? QuestName, int Completion,
    [property: JsonRequired] string RewardItem, [property: JsonRequired] int RewardQty, [property: JsonRequired] bool AutoClaim,
    long? CatalogVersion);
