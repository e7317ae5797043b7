using QuestAspire.Catalog.Api.Services;

namespace QuestAspire.Catalog.Api.UnitTests;

/// <summary>Read-your-writes: a command waits on the signal until the projector has reached its version.</summary>
public sealed class CatalogProjectionSignalTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task WaitForVersion_ReturnsOnceTheProjectorReachesIt()
    {
        var signal = new CatalogProjectionSignal();
        var waiting = signal.WaitForVersionAsync(3, Long, TestContext.Current.CancellationToken);

        signal.Advance(2);
        Assert.False(waiting.IsCompleted);
        signal.Advance(5);

        Assert.True(await waiting.WaitAsync(Long, TestContext.Current.CancellationToken));
        Assert.Equal(5, signal.ProjectedVersion);
    }

    [Fact]
    public async Task WaitForVersion_AlreadyReached_ReturnsAtOnce()
    {
        var signal = new CatalogProjectionSignal();
        signal.Advance(4);

        Assert.True(await signal.WaitForVersionAsync(4, Long, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task WaitForVersion_NotReachedInTime_ReturnsFalse()
    {
        var signal = new CatalogProjectionSignal();
        signal.Advance(1);

        Assert.False(await signal.WaitForVersionAsync(2, TimeSpan.FromMilliseconds(20), TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Advance_NeverMovesBack()
    {
        var signal = new CatalogProjectionSignal();

        signal.Advance(7);
        signal.Advance(3);

        Assert.Equal(7, signal.ProjectedVersion);
    }
}
