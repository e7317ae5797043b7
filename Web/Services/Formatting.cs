using System.Globalization;

namespace QuestAspire.Web.Services;

public static class Formatting
{
    public static string Reward(string item, int qty) => string.Create(CultureInfo.InvariantCulture, $"{qty} {item}");


    /// <summary>Times in UTC: the server does not know the browser's time zone.</summary>
    public static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("d MMM yyyy, HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string IsoTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}
