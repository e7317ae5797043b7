using QuestAspire.EventBus;
using QuestAspire.Web.Services;

namespace QuestAspire.Web.IntegrationEvents.Handlers;

/// <summary>The worker committed events of these players: their open pages look again.</summary>
public sealed class ProgressChangedHandler(ProgressHub hub) : IIntegrationEventHandler
{
    public Task HandleAsync(EventBatch events, CancellationToken cancellationToken)
    {
        hub.Publish(events.SelectMany(e => e.Event.GetData<ProgressChangedData>().UserIds ?? []).Distinct());
        return Task.CompletedTask;
    }

    /// <summary>The data of <c>ProgressChanged</c>: <c>{ user_ids: [...] }</c>.</summary>
    public sealed record ProgressChangedData(IReadOnlyList<Guid>? UserIds);
}
