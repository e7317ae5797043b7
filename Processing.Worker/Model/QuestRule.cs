namespace QuestAspire.Processing.Worker.Model;

/// <summary>
/// What the worker needs to know of a catalog quest: <c>Streak</c> sign-ins complete it, at most
/// <c>Duplication</c> times, and each completion pays <see cref="RewardQty"/> of <see cref="RewardItem"/>
/// (carried in QuestCompleted, as it was at <see cref="Version"/>).
/// </summary>
public sealed record QuestRule(Guid QuestId, string Name, int Streak, int Duplication)
{
    public int Streak { get; } = Streak >= 1
        ? Streak
        : throw new ArgumentOutOfRangeException(nameof(Streak), Streak, "A quest needs at least one sign-in.");

    public int Duplication { get; } = Duplication >= 0
        ? Duplication
        : throw new ArgumentOutOfRangeException(nameof(Duplication), Duplication, "A quest cannot be completed a negative number of times.");

    public bool AutoClaim { get; init; }

    public string RewardItem { get; init; } = "";

    public int RewardQty { get; init; }

    /// <summary>The catalog version of the quest definition this rule was made from.</summary>
    public long Version { get; init; }
}
