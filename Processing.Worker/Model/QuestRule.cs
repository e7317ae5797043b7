using QuestAspire.Quests;

namespace QuestAspire.Processing.Worker.Model;

/// <summary>What counts toward a quest: one matching event (<see cref="QuestKind.Count"/>) or one calendar day with a matching event (<see cref="QuestKind.DailyStreak"/>).</summary>
public enum QuestKind
{
    Count,
    DailyStreak,
}

/// <summary>How much a counted event adds: 1, or its <c>value</c>.</summary>
public enum ValueMode
{
    Count,
    Sum,
}

/// <summary>
/// What the worker needs to know of a catalog quest: <c>Streak</c> counted events (or days, or
/// the sum of their values) complete it, at most <c>Duplication</c> times per period, and each
/// completion pays <see cref="RewardQty"/> of <see cref="RewardItem"/> (carried in QuestCompleted,
/// as it was at <see cref="Version"/>). The defaults are the seed quest's kind: count sign-ins, never reset.
/// </summary>
public sealed record QuestRule(Guid QuestId, string Name, int Streak, int Duplication)
{
    /// <summary>The catalog's event type that matches both kinds of sign-in.</summary>
    public const string SignInType = "sign_in";

    public int Streak { get; } = Streak >= 1
        ? Streak
        : throw new ArgumentOutOfRangeException(nameof(Streak), Streak, "A quest needs a target of at least one.");

    public int Duplication { get; } = Duplication >= 0
        ? Duplication
        : throw new ArgumentOutOfRangeException(nameof(Duplication), Duplication, "A quest cannot be completed a negative number of times.");

    public bool AutoClaim { get; init; }

    public string RewardItem { get; init; } = "";

    public int RewardQty { get; init; }

    /// <summary>The catalog version of the quest definition this rule was made from.</summary>
    public long Version { get; init; }

    public string EventType { get; init; } = SignInType;

    public QuestKind Kind { get; init; }

    /// <summary>Missed days a <see cref="QuestKind.DailyStreak"/> forgives per streak.</summary>
    public int Freezes { get; init; }

    public QuestSchedule Reset { get; init; } = QuestSchedule.Never;

    public DateTimeOffset? StartsAt { get; init; }

    public DateTimeOffset? EndsAt { get; init; }

    /// <summary>Quests the player must have completed at least once before events count toward this one.</summary>
    public IReadOnlyList<Guid> PreconditionIds { get; init; } = [];

    public ValueMode ValueMode { get; init; }

    /// <summary>Whether an event of the log's type is one this quest counts.</summary>
    public bool Matches(string eventType) => EventType == SignInType
        ? eventType is EventNames.UserSignIn or EventNames.NewUserSignIn
        : eventType == EventType;

    /// <summary>Inside the quest's time window (start inclusive, end exclusive), or it has none.</summary>
    public bool IsOpenAt(DateTimeOffset at) => (StartsAt is null || at >= StartsAt) && (EndsAt is null || at < EndsAt);
}
