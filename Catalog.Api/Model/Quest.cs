namespace QuestAspire.Catalog.Api.Model;

/// <summary>
/// A sign-in quest: <see cref="Streak"/> sign-ins complete it once, and it can be completed
/// <see cref="Duplication"/> times; each completion earns <see cref="Reward"/>.
/// </summary>
public sealed class Quest
{
    public Guid Id { get; init; }

    public required string Name { get; set; }

    public required string Description { get; set; }

    public int Streak { get; set; }

    public int Duplication { get; set; }

    public bool AutoClaim { get; set; }

    public bool IsActive { get; set; } = true;

    /// <summary>The catalog version at which this quest (or the reward it pays) last changed.</summary>
    public long Version { get; set; }

    public Guid RewardId { get; set; }

    public Reward Reward { get; set; } = null!;

    public static Quest Create(QuestDefinition definition, Reward reward) => new()
    {
        Id = Guid.CreateVersion7(),
        Name = definition.Name,
        Description = definition.Description,
        Streak = definition.Streak,
        Duplication = definition.Duplication,
        AutoClaim = definition.AutoClaim,
        RewardId = reward.Id,
        Reward = reward,
    };

    public void Apply(QuestDefinition definition, Reward reward)
    {
        Name = definition.Name;
        Description = definition.Description;
        Streak = definition.Streak;
        Duplication = definition.Duplication;
        AutoClaim = definition.AutoClaim;
        RewardId = reward.Id;
        Reward = reward;
    }

    public void Deactivate() => IsActive = false;

    public void Activate() => IsActive = true;
}
