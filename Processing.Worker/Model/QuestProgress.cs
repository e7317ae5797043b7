namespace QuestAspire.Processing.Worker.Model;

/// <summary>
/// How far one player is with one quest in one period (<see cref="PeriodStart"/>; a quest that
/// never resets has a single period): progress toward the next completion, and completions in
/// the period. A daily streak also keeps the local days (day numbers) that had an event since its
/// last completion, so an event arriving late, or out of order, still fills its own day.
/// </summary>
public sealed class QuestProgress
{
    public Guid UserId { get; private set; }

    public Guid QuestId { get; private set; }

    public DateTimeOffset PeriodStart { get; private set; }

    /// <summary>Toward the next completion: events, days in the current streak, or the sum of values; back to 0 on each completion.</summary>
    public long Progress { get; private set; }

    public int Completions { get; private set; }

    /// <summary>Daily streaks: the local days (NodaTime day numbers) with an event, ascending, after the last completion's day.</summary>
    public int[] Days { get; private set; } = [];

    /// <summary>Daily streaks: the day of the last completion; it and the days before it are spent.</summary>
    public int SpentThrough { get; private set; } = int.MinValue;

    /// <summary>Daily streaks: missed days the current streak has used of its freezes.</summary>
    public int FreezesUsed { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static QuestProgress Start(Guid userId, Guid questId, DateTimeOffset periodStart, DateTimeOffset at) =>
        new() { UserId = userId, QuestId = questId, PeriodStart = periodStart.ToUniversalTime(), UpdatedAt = at };

    /// <summary>
    /// Counts one event: progress + <paramref name="amount"/>, and when it reaches the target a
    /// completion (progress back to 0). Once the quest has been completed
    /// <see cref="QuestRule.Duplication"/> times in the period nothing changes.
    /// </summary>
    public CountOutcome Count(QuestRule quest, long amount, DateTimeOffset at)
    {
        CheckQuest(quest);

        // >= rather than ==: the catalog may have lowered the limit or the target since.
        if (Completions >= quest.Duplication)
        {
            return CountOutcome.LimitReached;
        }

        UpdatedAt = at;
        if (Progress + amount >= quest.Streak)
        {
            Progress = 0;
            Completions++;
            return CountOutcome.Completed(Completions);
        }

        Progress += amount;
        return CountOutcome.Progressed;
    }

    /// <summary>
    /// Counts a day with an event toward a daily streak. The streak is worked out again from all
    /// the days held, so the order events arrive in does not matter: consecutive days extend it, a
    /// gap of missed days uses that many freezes, and a gap bigger than the freezes left starts a
    /// new streak with all its freezes. Reaching the target completes the quest; the days up to
    /// that one are then spent. Days before a gap that can no longer be filled (older than
    /// <paramref name="earliestCountable"/>) are dropped, which keeps the row small.
    /// </summary>
    public CountOutcome CountDay(QuestRule quest, int day, int earliestCountable, DateTimeOffset at)
    {
        CheckQuest(quest);
        if (Completions >= quest.Duplication)
        {
            return CountOutcome.LimitReached;
        }

        // A day already held, or one spent by a completion (a late event cannot count it twice).
        if (day <= SpentThrough || Array.BinarySearch(Days, day) >= 0)
        {
            return CountOutcome.DayAlreadyCounted;
        }

        UpdatedAt = at;
        var days = Days.Append(day).Order().ToList();
        var added = 0;
        var run = StreakRun.Of(days, quest.Freezes, quest.Streak);
        while (run.CompletedAt is { } completedAt && Completions + added < quest.Duplication)
        {
            added++;
            SpentThrough = days[completedAt];
            days.RemoveRange(0, completedAt + 1);
            run = StreakRun.Of(days, quest.Freezes, quest.Streak);
        }

        if (run.Start > 0 && days[run.Start] - 1 < earliestCountable)
        {
            days.RemoveRange(0, run.Start);
            run = StreakRun.Of(days, quest.Freezes, quest.Streak);
        }

        Days = [.. days];
        Progress = run.Length;
        FreezesUsed = run.FreezesUsed;
        Completions += added;
        return added > 0 ? CountOutcome.Completed(Completions, added) : CountOutcome.Progressed;
    }

    /// <summary>The streak as it stands on <paramref name="today"/>: its days, or 0 when the days missed since exceed the freezes left.</summary>
    public (int Days, int FreezesLeft) StreakOn(QuestRule quest, int today)
    {
        var run = StreakRun.Of(Days, quest.Freezes, int.MaxValue);
        if (run.Length == 0)
        {
            return (0, quest.Freezes);
        }

        var missed = Math.Max(0, today - Days[^1] - 1);
        var left = quest.Freezes - run.FreezesUsed - missed;
        return left < 0 ? (0, quest.Freezes) : ((int)run.Length, left);
    }

    private void CheckQuest(QuestRule quest)
    {
        if (quest.QuestId != QuestId)
        {
            throw new ArgumentException($"Progress of quest {QuestId} cannot count toward quest {quest.QuestId}.", nameof(quest));
        }
    }

    /// <summary>The last streak in ascending days: where it starts, how long it is, the freezes it used, and where it first reached the target.</summary>
    private readonly record struct StreakRun(int Start, long Length, int FreezesUsed, int? CompletedAt)
    {
        public static StreakRun Of(IReadOnlyList<int> days, int freezes, int target)
        {
            var (start, length, used) = (0, 0L, 0);
            for (var i = 0; i < days.Count; i++)
            {
                var gap = i == 0 ? 0 : days[i] - days[i - 1] - 1;
                if (i > 0 && gap <= freezes - used)
                {
                    used += gap;
                    length++;
                }
                else
                {
                    (start, length, used) = (i, 1, 0);
                }

                if (length >= target)
                {
                    return new(start, length, used, i);
                }
            }

            return new(start, length, used, null);
        }
    }
}

public enum CountResult
{
    /// <summary>The event counted toward the next completion.</summary>
    Progressed,

    /// <summary>The event completed the quest once more (or, for a streak filled in late, more than once).</summary>
    Completed,

    /// <summary>The quest cannot be completed again in this period; the event changed nothing.</summary>
    LimitReached,

    /// <summary>A daily streak already had an event on that day.</summary>
    DayAlreadyCounted,
}

/// <summary>What an event did to a quest; <see cref="Completion"/> is the last completion number (1, 2, …) when it completed it, <see cref="Added"/> how many completions it added.</summary>
public readonly record struct CountOutcome(CountResult Result, int Completion, int Added)
{
    public static CountOutcome Progressed { get; } = new(CountResult.Progressed, 0, 0);

    public static CountOutcome LimitReached { get; } = new(CountResult.LimitReached, 0, 0);

    public static CountOutcome DayAlreadyCounted { get; } = new(CountResult.DayAlreadyCounted, 0, 0);

    public static CountOutcome Completed(int completion, int added = 1) => new(CountResult.Completed, completion, added);

    public bool IsCompleted => Result == CountResult.Completed;
}
