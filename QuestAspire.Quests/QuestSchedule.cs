using Cronos;
using NodaTime;

namespace QuestAspire.Quests;

/// <summary>One period of a quest: events in [<see cref="Start"/>, <see cref="End"/>) count together. A quest that never resets has one period, <see cref="Forever"/>.</summary>
public readonly record struct QuestPeriod(DateTimeOffset Start, DateTimeOffset? End)
{
    /// <summary>The only period of a quest without reset; its start is the key its progress is stored under.</summary>
    public static QuestPeriod Forever { get; } = new(DateTimeOffset.UnixEpoch, null);
}

/// <summary>
/// When a quest's progress and completions restart: never, at each local midnight, at each local
/// Monday 00:00 (ISO weeks), or at each occurrence of a cron expression read as local wall-clock
/// time. Local means the player's IANA time zone (NodaTime's tzdb), so day boundaries move with
/// daylight-saving changes: a New York day in March is 23 hours long.
/// </summary>
public abstract class QuestSchedule
{
    public const string DailyName = "daily";
    public const string WeeklyName = "weekly";

    public static QuestSchedule Never { get; } = new NeverSchedule();

    public static QuestSchedule Daily { get; } = new DailySchedule();

    public static QuestSchedule Weekly { get; } = new WeeklySchedule();

    /// <summary>The catalog's spelling: null, "daily", "weekly" or the cron expression.</summary>
    public abstract string? Text { get; }

    /// <summary>The period <paramref name="at"/> falls in, for a player in <paramref name="zone"/>.</summary>
    public abstract QuestPeriod PeriodOf(DateTimeOffset at, DateTimeZone zone);

    /// <summary>Parses the catalog's <c>reset</c>; null when it is none of the forms (the message says why).</summary>
    public static QuestSchedule? TryParse(string? text, out string? error)
    {
        error = null;
        switch (text)
        {
            case null:
                return Never;
            case DailyName:
                return Daily;
            case WeeklyName:
                return Weekly;
        }

        if (text.Length > 100)
        {
            error = "reset must be at most 100 characters.";
            return null;
        }

        try
        {
            return new CronSchedule(text, CronExpression.Parse(text, CronFormat.Standard));
        }
        catch (CronFormatException e)
        {
            error = $"reset must be null, \"daily\", \"weekly\" or a cron expression of five fields (minute hour day month weekday): {e.Message}";
            return null;
        }
    }

    /// <summary>
    /// The tzdb spelling of an IANA zone id, matched without regard to case (<c>asia/tokyo</c> is
    /// <c>Asia/Tokyo</c>); null when tzdb has no such zone.
    /// </summary>
    public static string? CanonicalZoneId(string? timeZone)
    {
        if (string.IsNullOrWhiteSpace(timeZone) || timeZone.Length > MaxZoneIdLength)
        {
            return null;
        }

        return DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZone)?.Id
            ?? DateTimeZoneProviders.Tzdb.Ids.FirstOrDefault(id => string.Equals(id, timeZone, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The longest IANA id is well under this; a longer text is not a zone.</summary>
    public const int MaxZoneIdLength = 64;

    /// <summary>The player's zone: an unknown or missing id (never stored by Auth, but data may be old) is UTC.</summary>
    public static DateTimeZone ZoneOf(string? timeZone) =>
        (timeZone is null ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZone)) ?? DateTimeZone.Utc;

    /// <summary>The local calendar day of an instant in a zone.</summary>
    public static LocalDate LocalDay(DateTimeOffset at, DateTimeZone zone) => Instant.FromDateTimeOffset(at).InZone(zone).Date;

    private static DateTimeOffset StartOf(LocalDate day, DateTimeZone zone) => day.AtStartOfDayInZone(zone).ToDateTimeOffset().ToUniversalTime();

    private sealed class NeverSchedule : QuestSchedule
    {
        public override string? Text => null;

        public override QuestPeriod PeriodOf(DateTimeOffset at, DateTimeZone zone) => QuestPeriod.Forever;
    }

    private sealed class DailySchedule : QuestSchedule
    {
        public override string Text => DailyName;

        // AtStartOfDayInZone: where midnight does not exist (a DST jump at 00:00) the day starts at the first instant it does.
        public override QuestPeriod PeriodOf(DateTimeOffset at, DateTimeZone zone)
        {
            var day = LocalDay(at, zone);
            return new(StartOf(day, zone), StartOf(day.PlusDays(1), zone));
        }
    }

    private sealed class WeeklySchedule : QuestSchedule
    {
        public override string Text => WeeklyName;

        public override QuestPeriod PeriodOf(DateTimeOffset at, DateTimeZone zone)
        {
            var monday = LocalDay(at, zone).With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Monday));
            return new(StartOf(monday, zone), StartOf(monday.PlusWeeks(1), zone));
        }
    }

    /// <summary>
    /// Cron occurrences computed on the player's wall clock (Cronos over local time read as UTC),
    /// then placed in the zone leniently: a boundary in a skipped hour moves forward by the length
    /// of the gap (02:30 becomes 03:30), and one in a repeated hour takes its first occurrence. Cronos has no
    /// "previous occurrence", so the period start is the last occurrence in a look-back window
    /// that widens until one is found.
    /// </summary>
    private sealed class CronSchedule(string text, CronExpression expression) : QuestSchedule
    {
        private static readonly TimeSpan[] LookBack =
            [TimeSpan.FromHours(2), TimeSpan.FromDays(2), TimeSpan.FromDays(32), TimeSpan.FromDays(367), TimeSpan.FromDays(366 * 8)];

        public override string Text => text;

        public override QuestPeriod PeriodOf(DateTimeOffset at, DateTimeZone zone)
        {
            var local = Instant.FromDateTimeOffset(at).InZone(zone).LocalDateTime;
            var wall = DateTime.SpecifyKind(local.ToDateTimeUnspecified(), DateTimeKind.Utc);
            var next = expression.GetNextOccurrence(wall, TimeZoneInfo.Utc, inclusive: false);
            DateTime? previous = null;
            foreach (var window in LookBack)
            {
                if (wall - DateTime.MinValue < window)
                {
                    break;
                }

                previous = expression.GetOccurrences(wall - window, wall, TimeZoneInfo.Utc, fromInclusive: true, toInclusive: true)
                    .Cast<DateTime?>()
                    .LastOrDefault();
                if (previous is not null)
                {
                    break;
                }
            }

            return new(
                previous is null ? QuestPeriod.Forever.Start : Place(previous.Value, zone),
                next is null ? null : Place(next.Value, zone));
        }

        private static DateTimeOffset Place(DateTime wall, DateTimeZone zone) =>
            LocalDateTime.FromDateTime(wall).InZoneLeniently(zone).ToDateTimeOffset().ToUniversalTime();
    }
}
