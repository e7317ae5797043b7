namespace QuestAspire.Catalog.Api.Contracts;

/// <summary>
/// A quest on the wire: <c>{ quest_id, name, description, streak, duplication, auto_claim,
/// is_active, version, reward }</c>, with its reward inline, then its settings (<see cref="QuestSettingsResponse"/>,
/// <c>event_type</c> … <c>value_mode</c>). <see cref="Version"/> is the catalog
/// version at which this snapshot last changed (a change of its reward moves it too).
/// </summary>
public sealed record QuestResponse(
    Guid QuestId,
    string Name,
    string Description,
    int Streak,
    int Duplication,
    bool AutoClaim,
    bool IsActive,
    long Version,
    RewardResponse Reward) : QuestSettingsResponse
{
    // By value, the precondition list too (a record compares a list member by reference): the same JSON is the same quest.
    public bool Equals(QuestResponse? other) =>
        other is not null && System.Text.Json.JsonSerializer.Serialize(this, QuestAspire.ServiceDefaults.Api.ApiDefaults.JsonOptions)
            == System.Text.Json.JsonSerializer.Serialize(other, QuestAspire.ServiceDefaults.Api.ApiDefaults.JsonOptions);

    public override int GetHashCode() => HashCode.Combine(QuestId, Version);

    public static QuestResponse From(Quest quest) => new(
        quest.Id,
        quest.Name,
        quest.Description,
        quest.Streak,
        quest.Duplication,
        quest.AutoClaim,
        quest.IsActive,
        quest.Version,
        RewardResponse.From(quest.Reward))
    {
        Settings = quest.Settings,
    };
}

/// <summary>
/// The body of POST and PUT <c>/api/quests</c>; nullable members as in <see cref="RewardRequest"/>.
/// The quest-kind fields (event_type … value_mode) are optional: left out, each takes its default (PUT replaces the whole definition).
/// <see cref="IsActive"/> is optional: left out, a new quest is active and an updated one keeps its state.
/// </summary>
public sealed record QuestRequest(string? Name, string? Description, int? Streak, int? Duplication, bool? AutoClaim, Guid? RewardId, bool? IsActive = null)
    : QuestSettingsRequest, ICatalogRequest;
