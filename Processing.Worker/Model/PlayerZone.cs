namespace QuestAspire.Processing.Worker.Model;

/// <summary>The time zone a player set in Auth, as its <c>TimeZoneChanged</c> events told the worker; the newest change wins.</summary>
public sealed class PlayerZone
{
    public Guid UserId { get; private set; }

    /// <summary>An IANA id, for example <c>Asia/Tokyo</c>.</summary>
    public string TimeZone { get; private set; } = "UTC";

    public DateTimeOffset ChangedAt { get; private set; }

    public static PlayerZone Of(Guid userId, string timeZone, DateTimeOffset changedAt) =>
        new() { UserId = userId, TimeZone = timeZone, ChangedAt = changedAt.ToUniversalTime() };

    /// <summary>Takes a change that is newer than the one held; true when it did.</summary>
    public bool Apply(string timeZone, DateTimeOffset changedAt)
    {
        if (changedAt.ToUniversalTime() <= ChangedAt)
        {
            return false;
        }

        (TimeZone, ChangedAt) = (timeZone, changedAt.ToUniversalTime());
        return true;
    }
}
