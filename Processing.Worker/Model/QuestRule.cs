namespace QuestAspire.Processing.Worker.Model;

/// <summary>What the worker needs to know of a catalog quest: <c>Streak</c> sign-ins complete it, at most <c>Duplication</c> times.</summary>
public sealed record QuestRule(Guid QuestId, string Name, int Streak, int Duplication)
{
    public int Streak { get; } = Streak >= 1
        ? Streak
        : throw new ArgumentOutOfRangeException(nameof(Streak), Streak, "A quest needs at least one sign-in.");

    public int Duplication { get; } = Duplication >= 0
        ? Duplication
        : throw new ArgumentOutOfRangeException(nameof(Duplication), Duplication, "A quest cannot be completed a negative number of times.");
}
