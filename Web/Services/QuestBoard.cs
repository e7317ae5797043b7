using QuestAspire.Web.Contracts;

namespace QuestAspire.Web.Services;

/// <summary>One active quest as the player sees it: how far along, how often done, what it pays.</summary>
public sealed record QuestCard(Quest Quest, int Progress, int Completions, int PendingClaims)
{
    public bool IsDone => Completions >= Quest.Duplication;

    public int ProgressPercent => Quest.Streak <= 0 ? 0 : Math.Clamp(Progress * 100 / Quest.Streak, 0, 100);
}

/// <summary>
/// The quests page in one value: a card per active quest, and whether the system is still
/// working on the user's latest sign-in. A sign-in is processed asynchronously (Auth → broker →
/// worker → maybe QuestCompleted → Auth stores a claim), so two things are checked:
/// the worker has recorded an event at or after the sign-in, and Auth has stored a claim for
/// every completion the worker counted.
/// </summary>
public sealed record QuestBoard(IReadOnlyList<QuestCard> Cards, bool IsProcessing)
{
    /// <summary>How far apart the Web's and Auth's clocks may be (they share one on a single machine).</summary>
    public static readonly TimeSpan ClockTolerance = TimeSpan.FromSeconds(1);

    public static QuestBoard Build(
        IReadOnlyList<Quest> quests,
        IReadOnlyList<QuestProgress> progress,
        IReadOnlyList<RewardClaim> claims,
        ActivityEvent? latestEvent,
        DateTimeOffset signedInAt)
    {
        var byQuest = progress.ToDictionary(p => p.QuestId);
        var cards = quests
            .Where(q => q.IsActive)
            .OrderBy(q => q.Name, StringComparer.Ordinal)
            .Select(q =>
            {
                var row = byQuest.GetValueOrDefault(q.QuestId);
                return new QuestCard(q, row?.Progress ?? 0, row?.Completions ?? 0, claims.Count(c => c.QuestId == q.QuestId && c.IsPending));
            })
            .ToList();

        var signInRecorded = latestEvent is not null && latestEvent.OccurredAt >= signedInAt - ClockTolerance;
        var claimsStored = claims.Count >= progress.Sum(p => p.Completions);
        return new QuestBoard(cards, IsProcessing: !(signInRecorded && claimsStored));
    }
}
