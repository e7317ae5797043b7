using NodaTime;
using QuestAspire.Quests;

namespace QuestAspire.Processing.Worker.Model;

/// <summary>An event as the quest rules see it: its type in the log, when it happened, and its value (1 unless the app said otherwise).</summary>
public readonly record struct QuestEvent(Guid EventId, string EventType, DateTimeOffset OccurredAt, long Value);

/// <summary>Why an event did or did not count toward a quest, in the words the explain API uses.</summary>
public enum CountReason
{
    Counted,
    LimitReached,
    OutsideWindow,
    PreconditionNotMet,
    TooLate,
    DayAlreadyCounted,
}

/// <summary>What one event did to one quest: the row it went to, and <see cref="Completions"/> completions numbered up to <see cref="Completion"/>.</summary>
public readonly record struct QuestOutcome(CountReason Reason, QuestProgress? Row, int Completion, int Completions)
{
    public bool Counted => Reason == CountReason.Counted;
}

/// <summary>
/// One player's progress as the rules need it: their zone, the progress rows by quest and period
/// (loaded, or started at zero when first counted), and completions per quest over all periods
/// (for preconditions). The caller loads what a batch can touch; the rules only read and change this.
/// </summary>
public sealed class PlayerProgress(Guid userId, DateTimeZone zone)
{
    private readonly Dictionary<(Guid QuestId, DateTimeOffset Period), QuestProgress> _rows = [];
    private readonly Dictionary<Guid, int> _completions = [];

    public Guid UserId { get; } = userId;

    public DateTimeZone Zone { get; set; } = zone;

    /// <summary>Every row held, loaded or started.</summary>
    public IEnumerable<QuestProgress> Rows => _rows.Values;

    /// <summary>Takes a stored row (its completions are already in the totals the caller adds with <see cref="AddCompletions"/>).</summary>
    public void Load(QuestProgress row) => _rows[(row.QuestId, row.PeriodStart)] = row;

    public void AddCompletions(Guid questId, int completions) =>
        _completions[questId] = _completions.GetValueOrDefault(questId) + completions;

    public int CompletionsOf(Guid questId) => _completions.GetValueOrDefault(questId);

    public QuestProgress Row(Guid questId, DateTimeOffset periodStart, DateTimeOffset now)
    {
        var key = (questId, periodStart.ToUniversalTime());
        if (!_rows.TryGetValue(key, out var row))
        {
            _rows[key] = row = QuestProgress.Start(UserId, questId, periodStart, now);
        }

        return row;
    }
}

/// <summary>
/// The quest rules: which events count toward a quest, and what counting them does. Pure: time
/// is the event's <c>occurred_at</c> (so a late or redelivered event counts on the day it
/// happened) and the <c>now</c> given, which only decides whether the event is past the grace window.
/// </summary>
public sealed class QuestEngine(TimeSpan graceWindow)
{
    public static readonly TimeSpan DefaultGraceWindow = TimeSpan.FromDays(7);

    public TimeSpan GraceWindow { get; } = graceWindow > TimeSpan.Zero
        ? graceWindow
        : throw new ArgumentOutOfRangeException(nameof(graceWindow), graceWindow, "The grace window must be positive.");

    /// <summary>Whether the quest counts events of this type at all: only those are explained or counted.</summary>
    public static bool Uses(QuestRule quest, QuestEvent e) => quest.Matches(e.EventType);

    /// <summary>The period of the quest an event falls in, for the player's zone.</summary>
    public static QuestPeriod PeriodOf(QuestRule quest, DateTimeOffset at, DateTimeZone zone) => quest.Reset.PeriodOf(at, zone);

    /// <summary>The reason an event would not count before any progress is looked at, or null when it may count.</summary>
    public CountReason? Screen(QuestRule quest, QuestEvent e, DateTimeOffset now)
    {
        if (e.OccurredAt < now - GraceWindow)
        {
            return CountReason.TooLate;
        }

        return quest.IsOpenAt(e.OccurredAt) ? null : CountReason.OutsideWindow;
    }

    /// <summary>
    /// Applies an event to every quest that uses it, in order. Preconditions are judged before the
    /// event changes anything: the event that completes a quest counts toward the next one of a
    /// chain only from the next event on.
    /// </summary>
    public List<(QuestRule Quest, QuestOutcome Outcome)> Apply(IReadOnlyList<QuestRule> quests, QuestEvent e, PlayerProgress player, DateTimeOffset now)
    {
        var used = quests.Where(q => Uses(q, e)).Select(q => (Quest: q, Locked: IsLocked(q, player))).ToList();
        return [.. used.Select(u => (u.Quest, Apply(u.Quest, e, player, now, u.Locked)))];
    }

    /// <summary>Applies an event the quest uses (see <see cref="Uses"/>) to the player's progress.</summary>
    public QuestOutcome Apply(QuestRule quest, QuestEvent e, PlayerProgress player, DateTimeOffset now) =>
        Apply(quest, e, player, now, IsLocked(quest, player));

    /// <summary>Whether a precondition of the quest is not completed yet.</summary>
    public static bool IsLocked(QuestRule quest, PlayerProgress player) => quest.PreconditionIds.Any(id => player.CompletionsOf(id) == 0);

    private QuestOutcome Apply(QuestRule quest, QuestEvent e, PlayerProgress player, DateTimeOffset now, bool locked)
    {
        if (Screen(quest, e, now) is { } screened)
        {
            return new(screened, null, 0, 0);
        }

        if (locked)
        {
            return new(CountReason.PreconditionNotMet, null, 0, 0);
        }

        var row = player.Row(quest.QuestId, PeriodOf(quest, e.OccurredAt, player.Zone).Start, now);
        var outcome = quest.Kind switch
        {
            QuestKind.DailyStreak => row.CountDay(quest, DayNumber(e.OccurredAt, player.Zone), DayNumber(now - GraceWindow, player.Zone), now),
            _ => row.Count(quest, quest.ValueMode == ValueMode.Sum ? e.Value : 1, now),
        };

        player.AddCompletions(quest.QuestId, outcome.Added);
        return outcome.Result switch
        {
            CountResult.LimitReached => new(CountReason.LimitReached, row, 0, 0),
            CountResult.DayAlreadyCounted => new(CountReason.DayAlreadyCounted, row, 0, 0),
            _ => new(CountReason.Counted, row, outcome.Completion, outcome.Added),
        };
    }

    /// <summary>The player's local calendar day as a day number (consecutive days differ by one).</summary>
    public static int DayNumber(DateTimeOffset at, DateTimeZone zone) => QuestSchedule.LocalDay(at, zone).ToDateOnly().DayNumber;
}
