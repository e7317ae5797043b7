using QuestAspire.Catalog.Api.IntegrationEvents.Events;
using QuestAspire.EventBus;

namespace QuestAspire.Catalog.Api.Services;

/// <summary>
/// Turns a catalog change into its events. Every changed reward and quest gets its own catalog
/// version, rewards first, so that a quest's snapshot carries its reward at a version no higher
/// than its own. A reward change also changes every quest that pays it (the quest snapshot
/// carries the reward), so those quests are part of the change.
/// </summary>
public static class CatalogEvents
{
    /// <summary>The actor of changes no person made: the seeder and migrations.</summary>
    public static readonly Guid SystemActor = Guid.Parse("00000000-0000-0000-0000-000000000001");

    /// <summary>The quests a change touches: those changed themselves and those paying a changed reward, each once.</summary>
    public static IReadOnlyList<Quest> AffectedQuests(IEnumerable<Reward> changedRewards, IEnumerable<Quest> changedQuests, IEnumerable<Quest> knownQuests)
    {
        var rewardIds = changedRewards.Select(r => r.Id).ToHashSet();
        return [.. changedQuests.Concat(knownQuests.Where(q => rewardIds.Contains(q.RewardId))).DistinctBy(q => q.Id).OrderBy(q => q.Name, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Gives the rewards, then the quests, the versions <paramref name="firstVersion"/>,
    /// <paramref name="firstVersion"/> + 1, ... and returns one event per entity, in version order.
    /// </summary>
    public static IReadOnlyList<(long Version, IntegrationEvent Event)> Stamp(
        IReadOnlyList<Reward> rewards, IReadOnlyList<Quest> quests, long firstVersion, Guid actor, DateTimeOffset now)
    {
        var version = firstVersion;
        foreach (var reward in rewards)
        {
            reward.Version = version++;
        }

        foreach (var quest in quests)
        {
            quest.Version = version++;
        }

        // Snapshots after every version is set: a quest's reward inline is the new one.
        return
        [
            .. rewards.Select(r => (r.Version, IntegrationEvent.Create(EventNames.RewardChanged, actor, now, new RewardChangedData(r.Version, RewardResponse.From(r))))),
            .. quests.Select(q => (q.Version, IntegrationEvent.Create(EventNames.QuestChanged, actor, now, new QuestChangedData(q.Version, QuestResponse.From(q))))),
        ];
    }
}
