using System.Threading.Channels;

namespace QuestAspire.Processing.Worker.Services;

/// <summary>
/// Tells the open progress streams of a player (<c>GET /api/users/{id}/progress/stream</c>) that
/// their progress changed. One per replica: the <c>ProgressChanged</c> consumer raises, each open
/// stream subscribes for its own player. A notification carries no data, only "look again", so a
/// lost or doubled one costs a page a refresh at most; several that come before a stream takes
/// them are one.
/// </summary>
public sealed class ProgressHub
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, List<ProgressSubscription>> _subscribers = [];

    /// <summary>Signals the returned subscription whenever the worker applied events of <paramref name="userId"/>, until disposed.</summary>
    public ProgressSubscription Subscribe(Guid userId)
    {
        var subscription = new ProgressSubscription(this, userId);
        lock (_lock)
        {
            if (!_subscribers.TryGetValue(userId, out var list))
            {
                _subscribers[userId] = list = [];
            }

            list.Add(subscription);
        }

        return subscription;
    }

    /// <summary>The open subscriptions.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _subscribers.Values.Sum(list => list.Count);
            }
        }
    }

    /// <summary>Signals each open subscription of <paramref name="userIds"/>; never throws, never waits for a stream.</summary>
    public void Publish(IEnumerable<Guid> userIds)
    {
        lock (_lock)
        {
            foreach (var userId in userIds)
            {
                if (_subscribers.TryGetValue(userId, out var list))
                {
                    list.ForEach(s => s.Signal());
                }
            }
        }
    }

    private void Remove(ProgressSubscription subscription)
    {
        lock (_lock)
        {
            if (_subscribers.TryGetValue(subscription.UserId, out var list) && list.Remove(subscription) && list.Count == 0)
            {
                _subscribers.Remove(subscription.UserId);
            }
        }
    }

    /// <summary>One open stream's subscription: a signal of capacity one, so a slow stream is never a backlog.</summary>
    public sealed class ProgressSubscription(ProgressHub hub, Guid userId) : IDisposable
    {
        private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(
            new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

        public Guid UserId => userId;

        /// <summary>True when the progress changed within <paramref name="timeout"/> (the signal is taken), false when it did not.</summary>
        public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
        {
            using var timer = new CancellationTokenSource(timeout, timeProvider);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
            try
            {
                await _changed.Reader.WaitToReadAsync(either.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            return _changed.Reader.TryRead(out _);
        }

        public void Dispose() => hub.Remove(this);

        internal void Signal() => _changed.Writer.TryWrite(true);
    }
}
