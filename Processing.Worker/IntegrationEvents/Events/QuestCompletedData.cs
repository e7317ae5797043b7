namespace QuestAspire.Processing.Worker.IntegrationEvents.Events;

/// <summary>
/// The <c>data</c> of a <c>QuestCompleted</c> event, which the worker publishes:
/// <c>{ "quest_id", "quest_name", "completion" }</c>, where completion counts from 1.
/// </summary>
public sealed record QuestCompletedData(Guid QuestId, string QuestName, int Completion);
