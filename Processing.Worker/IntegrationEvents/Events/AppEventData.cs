namespace QuestAspire.Processing.Worker.IntegrationEvents.Events;

/// <summary>The data of an <c>AppEvent</c>: the app's own event type (<c>match_won</c>) and value.</summary>
public sealed record AppEventData(string EventType, long Value);
