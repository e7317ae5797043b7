using QuestAspire.Web.Contracts;

namespace QuestAspire.Web.Services;

/// <summary>
/// One active quest as the player sees it: how far along, how often done (in this period), what
/// it pays, and its kind as the worker sees it now (<see cref="State"/>; null before the worker
/// lists it, and then the catalog's definition stands in).
/// </summary>
public sealed record QuestCard(Quest Quest, long Progress, int Completions, int PendingClaims, QuestProgress? State = null)
{
    public bool IsDone => Completions >= Quest.Duplication;

    public int ProgressPercent => Quest.Streak <= 0 ? 0 : (int)Math.Clamp(Progress * 100 / Quest.Streak, 0, 100);

    public string Kind => State?.Kind ?? Quest.Kind;

    public bool IsDailyStreak => Kind == QuestKinds.DailyStreak;

    public string? Reset => State is null ? Quest.Reset : State.Reset;

    public DateTimeOffset? StartsAt => State is null ? Quest.StartsAt : State.StartsAt;

    public DateTimeOffset? EndsAt => State is null ? Quest.EndsAt : State.EndsAt;

    public bool IsLocked => State?.Locked == true;

    public IReadOnlyList<QuestReference> LockedBy => State?.LockedBy ?? [];

    public int StreakDays => State?.StreakDays ?? (int)Math.Min(Progress, int.MaxValue);

    public int Freezes => State?.Freezes ?? Quest.Freezes;

    public int FreezesLeft => State?.FreezesLeft ?? Freezes;

    /// <summary>What the progress counts, for its label.</summary>
    public string ProgressLabel => (IsDailyStreak, State?.ValueMode ?? Quest.ValueMode, State?.EventType ?? Quest.EventType) switch
    {
        (true, _, _) => "Days in a row",
        (_, QuestKinds.SumMode, _) => "Points",
        (_, _, QuestKinds.SignIn) => "Sign-ins",
        _ => "Events",
    };
}

/// <summary>
/// The quests page in one value: a card per active quest, and whether the system is still
/// working on the user's latest sign-in. A sign-in is processed asynchronously (Auth → broker →
/// worker → maybe QuestCompleted → Auth stores a claim), so two things are checked:
/// the worker has recorded an event at or after the sign-in, and Auth has stored a claim for
/// every completion the worker counted.
/// </summary>
public sealed record QuestBoard(IReadOnlyList<QuestCard> Cards, bool SignInRecorded, bool ClaimsStored)
{
    /// <summary>How far apart the Web's and Auth's clocks may be (they share one on a single machine).</summary>
    public static readonly TimeSpan ClockTolerance = TimeSpan.FromSeconds(1);

    public bool IsProcessing => !(SignInRecorded && ClaimsStored);

    /// <summary>The worker has logged the sign-in: its newest event is from the sign-in or later.</summary>
    public static bool IsRecorded(ActivityEvent? latestEvent, DateTimeOffset signedInAt) =>
        latestEvent is not null && latestEvent.OccurredAt >= signedInAt - ClockTolerance;

    public static QuestBoard Build(
        IReadOnlyList<Quest> quests,
        IReadOnlyList<QuestProgress> progress,
        IReadOnlyList<RewardClaim> claims,
        bool signInRecorded)
    {
        var byQuest = progress.ToDictionary(p => p.QuestId);
        var cards = quests
            .Where(q => q.IsActive)
            .OrderBy(q => q.Name, StringComparer.Ordinal)
            .Select(q =>
            {
                var row = byQuest.GetValueOrDefault(q.QuestId);
                return new QuestCard(q, row?.Progress ?? 0, row?.Completions ?? 0, claims.Count(c => c.QuestId == q.QuestId && c.IsPending), row);
            })
            .ToList();

        // Completions are per period for quests that reset, so the claims (all of them) may outnumber them, never fall short.
        var claimsStored = claims.Count >= progress.Sum(p => p.Completions);
        return new QuestBoard(cards, signInRecorded, claimsStored);
    }
}
