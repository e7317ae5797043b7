namespace QuestAspire.Catalog.Api.Model;

/// <summary>A quest in the read model: the columns queries filter on, and the whole answer as a document.</summary>
public sealed class QuestView
{
    public Guid QuestId { get; init; }

    public required string Name { get; set; }

    public bool IsActive { get; set; }

    public long Version { get; set; }

    /// <summary>The quest as the API answers it (<c>QuestResponse</c>), as JSON.</summary>
    public required string Document { get; set; }
}

/// <summary>A reward in the read model.</summary>
public sealed class RewardView
{
    public Guid RewardId { get; init; }

    public required string Name { get; set; }

    public bool IsActive { get; set; }

    public long Version { get; set; }

    /// <summary>The reward as the API answers it (<c>RewardResponse</c>), as JSON.</summary>
    public required string Document { get; set; }
}
