namespace QuestAspire.Catalog.Api.Model;

/// <summary>What completing a quest pays: <see cref="Qty"/> of <see cref="Item"/>.</summary>
public sealed class Reward : ICatalogEntry
{
    public Guid Id { get; init; }

    public required string Name { get; set; }

    public RewardItem Item { get; set; }

    public int Qty { get; set; }

    public bool IsActive { get; set; } = true;

    /// <summary>The catalog version at which this reward last changed.</summary>
    public long Version { get; set; }

    public static Reward Create(RewardDefinition definition) => new()
    {
        Id = Guid.CreateVersion7(),
        Name = definition.Name,
        Item = definition.Item,
        Qty = definition.Qty,
    };

    public void Apply(RewardDefinition definition)
    {
        Name = definition.Name;
        Item = definition.Item;
        Qty = definition.Qty;
    }

    public void Deactivate() => IsActive = false;

    public void Activate() => IsActive = true;
}
