using System.Globalization;

namespace QuestAspire.Web.Services;

public static class Formatting
{
    public static string Reward(string item, long qty) => string.Create(CultureInfo.InvariantCulture, $"{qty} {item}");

    /// <summary>Times in UTC: the server does not know the browser's time zone.</summary>
    public static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("d MMM yyyy, HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>
    /// A time in the player's zone (an IANA id, as the worker reports it), named after it; an id this
    /// machine does not know shows the time in UTC rather than a wrong local one.
    /// </summary>
    public static string Time(DateTimeOffset time, string? zone)
    {
        if (zone is null or "UTC" || !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var info))
        {
            return Time(time);
        }

        var local = TimeZoneInfo.ConvertTime(time, info);
        return string.Create(CultureInfo.InvariantCulture, $"{local:d MMM yyyy, HH:mm:ss} ({zone})");
    }

    /// <summary>A time left, coarse enough to read at a glance: "2 d 3 h", "3 h 12 min", "12 min", "under a minute".</summary>
    public static string Duration(TimeSpan left) => left switch
    {
        { TotalDays: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)left.TotalDays} d {left.Hours} h"),
        { TotalHours: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)left.TotalHours} h {left.Minutes} min"),
        { TotalMinutes: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)left.TotalMinutes} min"),
        _ => "under a minute",
    };

    public static string IsoTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}
