using System.Threading.Channels;
using QuestAspire.Processing.Worker.IntegrationEvents.Events;

namespace QuestAspire.Processing.Worker.Services;

/// <summary>
/// Tells open pages whose progress changed: the event handler hands over the players of each
/// committed batch, and a background loop publishes them as <c>ProgressChanged</c> notifications
/// (several batches in one when they pile up) to every replica's <see cref="ProgressHub"/>, which
/// holds the progress streams open on it. Best effort by design: a lost notification costs a page
/// one refresh interval, and nothing here can slow or fail the batch that caused it.
/// </summary>
public sealed class ProgressNotifier(EventPublisher publisher, TimeProvider timeProvider, ILogger<ProgressNotifier> logger) : BackgroundService
{
    /// <summary>The system actor named as a notification's user (the players are in its data).</summary>
    public static readonly Guid SystemActor = Guid.Parse("00000000-0000-0000-0000-000000000002");

    private const int MaxUsersPerNotification = 1000;

    private readonly Channel<IReadOnlyCollection<Guid>> _pending = Channel.CreateBounded<IReadOnlyCollection<Guid>>(
        new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public void Notify(IReadOnlyCollection<Guid> userIds)
    {
        if (userIds.Count > 0)
        {
            _pending.Writer.TryWrite(userIds);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var users = new HashSet<Guid>();
        while (await _pending.Reader.WaitToReadAsync(stoppingToken))
        {
            while (users.Count < MaxUsersPerNotification && _pending.Reader.TryRead(out var batch))
            {
                users.UnionWith(batch);
            }

            using var untraced = OpenTelemetry.SuppressInstrumentationScope.Begin();
            try
            {
                foreach (var chunk in users.Chunk(MaxUsersPerNotification))
                {
                    var notification = IntegrationEvent.Create(EventNames.ProgressChanged, SystemActor, timeProvider.GetUtcNow(), new ProgressChangedData(chunk));
                    await publisher.NotifyAsync(MessagingNames.EventsExchange, notification, stoppingToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogDebug(e, "A progress notification for {Count} player(s) was not published", users.Count);
            }

            users.Clear();
        }
    }
}
