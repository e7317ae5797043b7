using QuestAspire.Data;

namespace QuestAspire.Catalog.Api.Services;

/// <summary>
/// Between the commands and the projector of this process: a command wakes the projector once it
/// has committed, and waits until the read model has reached its version (read-your-writes).
/// </summary>
public sealed class CatalogProjectionSignal
{
    private readonly WakeSignal _work = new();
    private readonly Lock _lock = new();
    private long _projected;
    private TaskCompletionSource _advanced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The highest catalog version this process knows the read model has reached.</summary>
    public long ProjectedVersion
    {
        get
        {
            lock (_lock)
            {
                return _projected;
            }
        }
    }

    /// <summary>A write has committed: wake the projector.</summary>
    public void Notify() => _work.Notify();

    /// <summary>Waits for <see cref="Notify"/>, or <paramref name="timeout"/> at most (the projector polls too, e.g. for events another replica wrote).</summary>
    public Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken) => _work.WaitAsync(timeout, cancellationToken);

    /// <summary>The read model has reached <paramref name="version"/>: release the commands waiting for it.</summary>
    public void Advance(long version)
    {
        TaskCompletionSource released;
        lock (_lock)
        {
            if (version <= _projected)
            {
                return;
            }

            _projected = version;
            released = _advanced;
            _advanced = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        released.SetResult();
    }

    /// <summary>True once the read model has reached <paramref name="version"/>; false if <paramref name="timeout"/> passed first.</summary>
    public async Task<bool> WaitForVersionAsync(long version, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            while (true)
            {
                Task advanced;
                lock (_lock)
                {
                    if (_projected >= version)
                    {
                        return true;
                    }

                    advanced = _advanced.Task;
                }

                await advanced.WaitAsync(cts.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
