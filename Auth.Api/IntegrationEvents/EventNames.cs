namespace QuestAspire.Auth.Api.IntegrationEvents;

/// <summary>The event types Auth publishes and consumes, and its queue (the wire contract: never renamed).</summary>
public static class EventNames
{
    public const string NewUserSignIn = "NewUserSignIn";
    public const string UserSignIn = "UserSignIn";

    /// <summary>A player set their time zone: data <c>{ time_zone }</c> (an IANA id); the newest <c>occurred_at</c> wins.</summary>
    public const string TimeZoneChanged = "TimeZoneChanged";

    public const string QuestCompleted = "QuestCompleted";

    /// <summary>Auth's queue of <see cref="QuestCompleted"/>, shared by its replicas.</summary>
    public const string AuthEventsQueue = "auth-events";
}
