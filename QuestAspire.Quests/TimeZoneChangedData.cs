namespace QuestAspire.Quests;

/// <summary>
/// The data of a <c>TimeZoneChanged</c>: Auth tells the worker the player's new IANA zone
/// (<c>time_zone</c>), in the same transaction that stores it; the event's time orders changes.
/// </summary>
public sealed record TimeZoneChangedData(string TimeZone);
