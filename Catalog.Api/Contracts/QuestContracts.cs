namespace QuestAspire.Catalog.Api.Contracts;

/// <summary>
/// A quest on the wire: <c>{ quest_id, name, description, streak, duplication, auto_claim,
/// is_active, version, reward }</c>, with its reward inline. <see cref="Version"/> is the catalog
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
    RewardResponse Reward)
{
    public static QuestResponse From(Quest quest) => new(
        quest.Id,
        quest.Name,
        quest.Description,
        quest.Streak,
        quest.Duplication,
        quest.AutoClaim,
        quest.IsActive,
        quest.Version,
        RewardResponse.From(quest.Reward));
}

/// <summary>
/// The body of POST and PUT <c>/api/quests</c>; nullable members as in <see cref="RewardRequest"/>.
/// <see cref="IsActive"/> is optional: left out, a new quest is active and an updated one keeps its state.
/// </summary>
public sealed record QuestRequest(string? Name, string? Description, int? Streak, int? Duplication, bool? AutoClaim, Guid? RewardId, bool? IsActive = null);
