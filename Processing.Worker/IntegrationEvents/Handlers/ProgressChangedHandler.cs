using QuestAspire.Processing.Worker.IntegrationEvents.Events;
using QuestAspire.Processing.Worker.Services;

namespace QuestAspire.Processing.Worker.IntegrationEvents.Handlers;

/// <summary>
/// A replica (this one or another) committed events of these players: the progress streams open on
/// this replica tell their pages to look again. Nothing is stored, so nothing is redone on a redelivery.
/// </summary>
public sealed class ProgressChangedHandler(ProgressHub hub) : IIntegrationEventHandler
{
    public Task HandleAsync(EventBatch events, CancellationToken cancellationToken)
    {
        hub.Publish(events.SelectMany(e => e.Event.GetData<ProgressChangedData>().UserIds ?? []).Distinct());
        return Task.CompletedTask;
    }
}
