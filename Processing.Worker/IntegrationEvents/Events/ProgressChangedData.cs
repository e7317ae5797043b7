namespace QuestAspire.Processing.Worker.IntegrationEvents.Events;

/// <summary>The data of a <c>ProgressChanged</c> notification: the players whose events a batch committed.</summary>
public sealed record ProgressChangedData(IReadOnlyList<Guid>? UserIds);
