namespace QuestAspire.Web.IntegrationEvents;

/// <summary>The event type the Web consumes, and its queue (the wire contract: never renamed).</summary>
public static class EventNames
{
    /// <summary>The worker committed events of these players: data <c>{ user_ids: [...] }</c>.</summary>
    public const string ProgressChanged = "ProgressChanged";

    /// <summary>The Web's queue of <see cref="ProgressChanged"/>, one per replica (<c>{name}.{instance}</c>).</summary>
    public const string WebProgressQueue = "web-progress";
}
