namespace QuestAspire.Web.Services;

/// <summary>
/// Tells the open pages of a player that their progress changed. One per process: the
/// <c>ProgressChanged</c> consumer raises, each open Quests page (a circuit) subscribes for its
/// own player and refreshes. A notification carries no data, only "look again", so a lost or
/// doubled one costs a refresh at most.
/// </summary>
public sealed class ProgressHub(ILogger<ProgressHub> logger)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, List<Subscription>> _subscribers = [];

    /// <summary>Calls <paramref name="onChanged"/> whenever the worker applied events of <paramref name="userId"/>, until disposed.</summary>
    public IDisposable Subscribe(Guid userId, Func<Task> onChanged)
    {
        var subscription = new Subscription(this, userId, onChanged);
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

    /// <summary>Raises the change for each of <paramref name="userIds"/> that has an open page; never throws, never waits for a page.</summary>
    public void Publish(IEnumerable<Guid> userIds)
    {
        var due = new List<Subscription>();
        lock (_lock)
        {
            foreach (var userId in userIds)
            {
                if (_subscribers.TryGetValue(userId, out var list))
                {
                    due.AddRange(list);
                }
            }
        }

        foreach (var subscription in due)
        {
            _ = InvokeAsync(subscription);
        }
    }

    // A page's refresh runs on its own circuit's dispatcher; one page's failure is not another's.
    private async Task InvokeAsync(Subscription subscription)
    {
        try
        {
            await subscription.OnChanged();
        }
        catch (Exception e)
        {
            logger.LogDebug(e, "A page of {UserId} did not take a progress notification", subscription.UserId);
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (_lock)
        {
            if (_subscribers.TryGetValue(subscription.UserId, out var list) && list.Remove(subscription) && list.Count == 0)
            {
                _subscribers.Remove(subscription.UserId);
            }
        }
    }

    private sealed class Subscription(ProgressHub hub, Guid userId, Func<Task> onChanged) : IDisposable
    {
        public Guid UserId => userId;

        public Func<Task> OnChanged => onChanged;

        public void Dispose() => hub.Remove(this);
    }
}
