namespace QuestAspire.Catalog.Api.Contracts;

/// <summary>
/// A quest on the wire: <c>{ quest_id, name, description, streak, duplication, auto_claim,
/// is_active, reward }</c>, with its reward inline.
/// </summary>
public sealed record QuestResponse(
    Guid QuestId,
    string Name,
    string Description,
    int Streak,
    int Duplication,
    bool AutoClaim,
    bool IsActive,
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
        RewardResponse.From(quest.Reward));
}

/// <summary>The body of POST and PUT <c>/api/quests</c>; nullable members as in <see cref="RewardRequest"/>.</summary>
public sealed record QuestRequest(string? Name, string? Description, int? Streak, int? Duplication, bool? AutoClaim, Guid? RewardId);
