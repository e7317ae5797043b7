namespace QuestAspire.Catalog.Api.Model;

/// <summary>
/// A quest: <see cref="Streak"/> counted events (see <see cref="Settings"/>) complete it once, and it can be completed
/// <see cref="Duplication"/> times; each completion earns <see cref="Reward"/>.
/// </summary>
public sealed class Quest : ICatalogEntry
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

    public string EventType { get; set; } = QuestSettings.SignIn;

    public string Kind { get; set; } = QuestSettings.CountKind;

    public int Freezes { get; set; }

    public string? Reset { get; set; }

    public DateTimeOffset? StartsAt { get; set; }

    public DateTimeOffset? EndsAt { get; set; }

    public List<Guid> PreconditionIds { get; set; } = [];

    public string ValueMode { get; set; } = QuestSettings.CountMode;

    public QuestSettings Settings => new(EventType, Kind, Freezes, Reset, StartsAt, EndsAt, PreconditionIds, ValueMode);

    public Reward Reward { get; set; } = null!;

    public static Quest Create(QuestDefinition definition, Reward reward)
    {
        var quest = new Quest { Id = Guid.CreateVersion7(), Name = definition.Name, Description = definition.Description };
        quest.Apply(definition, reward);
        return quest;
    }

    public void Apply(QuestDefinition definition, Reward reward)
    {
        (EventType, Kind, Freezes, Reset) = (definition.Settings.EventType, definition.Settings.Kind, definition.Settings.Freezes, definition.Settings.Reset);
        (StartsAt, EndsAt, PreconditionIds, ValueMode) = (definition.Settings.StartsAt, definition.Settings.EndsAt, [.. definition.Settings.PreconditionIds], definition.Settings.ValueMode);
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
