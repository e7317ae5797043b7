namespace QuestAspire.Auth.Api.IntegrationEvents.Events;

/// <summary>The data of a <c>QuestCompleted</c> event, as Processing.Worker publishes it.</summary>
public sealed record QuestCompletedData(Guid QuestId, string? QuestName, int Completion);
