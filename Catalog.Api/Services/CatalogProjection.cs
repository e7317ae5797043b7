using System.Text.Json;
using QuestAspire.Catalog.Api.IntegrationEvents.Events;
using QuestAspire.ServiceDefaults.Api;

namespace QuestAspire.Catalog.Api.Services;

/// <summary>
/// Applies catalog snapshots to read-model views held in the given dictionaries. A snapshot
/// replaces a view only when its version is higher than the view's, so applying the same events
/// twice, or in any order, ends in the same views. Views it creates are added to the dictionaries.
/// </summary>
public sealed class CatalogProjection(IDictionary<Guid, QuestView> quests, IDictionary<Guid, RewardView> rewards)
{
    /// <summary>The apply rule: only a higher version replaces what is held.</summary>
    public static bool Supersedes(long incoming, long? held) => held is null || incoming > held;

    /// <summary>Applies one stored event; false when it changed nothing (an older or equal version, or a type it does not know).</summary>
    public bool Apply(string eventType, string data) => eventType switch
    {
        EventNames.QuestChanged => Apply(Parse<QuestChangedData>(data).Quest),
        EventNames.RewardChanged => Apply(Parse<RewardChangedData>(data).Reward),
        _ => false,
    };

    public bool Apply(QuestResponse quest)
    {
        quests.TryGetValue(quest.QuestId, out var view);
        if (!Supersedes(quest.Version, view?.Version))
        {
            return false;
        }

        var document = JsonSerializer.Serialize(quest, ApiDefaults.JsonOptions);
        if (view is null)
        {
            quests[quest.QuestId] = ToView(quest);
        }
        else
        {
            (view.Name, view.IsActive, view.Version, view.Document) = (quest.Name, quest.IsActive, quest.Version, document);
        }

        return true;
    }

    public bool Apply(RewardResponse reward)
    {
        rewards.TryGetValue(reward.RewardId, out var view);
        if (!Supersedes(reward.Version, view?.Version))
        {
            return false;
        }

        if (view is null)
        {
            rewards[reward.RewardId] = ToView(reward);
        }
        else
        {
            (view.Name, view.IsActive, view.Version, view.Document) = (reward.Name, reward.IsActive, reward.Version, JsonSerializer.Serialize(reward, ApiDefaults.JsonOptions));
        }

        return true;
    }

    public static QuestView ToView(QuestResponse quest) => new()
    {
        QuestId = quest.QuestId,
        Name = quest.Name,
        IsActive = quest.IsActive,
        Version = quest.Version,
        Document = JsonSerializer.Serialize(quest, ApiDefaults.JsonOptions),
    };

    public static RewardView ToView(RewardResponse reward) => new()
    {
        RewardId = reward.RewardId,
        Name = reward.Name,
        IsActive = reward.IsActive,
        Version = reward.Version,
        Document = JsonSerializer.Serialize(reward, ApiDefaults.JsonOptions),
    };

    public static QuestResponse ReadQuest(string document) => Parse<QuestResponse>(document);

    public static RewardResponse ReadReward(string document) => Parse<RewardResponse>(document);

    /// <summary>The ids of the views an event concerns, so the projector can load just those.</summary>
    public static (Guid? QuestId, Guid? RewardId) Target(string eventType, string data) => eventType switch
    {
        EventNames.QuestChanged => (Parse<QuestChangedData>(data).Quest.QuestId, null),
        EventNames.RewardChanged => (null, Parse<RewardChangedData>(data).Reward.RewardId),
        _ => (null, null),
    };

    private static T Parse<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, ApiDefaults.JsonOptions) ?? throw new JsonException($"'{json}' is not a {typeof(T).Name}.");
}
