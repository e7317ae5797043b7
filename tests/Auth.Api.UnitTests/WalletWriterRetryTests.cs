using QuestAspire.Auth.Api.Infrastructure;

namespace QuestAspire.Auth.Api.UnitTests;

/// <summary>A group-committed batch that found one of its keys taken runs again, a bounded number of times.</summary>
public sealed class WalletWriterRetryTests
{
    [Fact]
    public async Task ABatchThatFoundAKeyTaken_RunsAgain_AndTheFirstAttemptThatWritesIsTheAnswer()
    {
        var attempts = 0;

        var written = await WalletWriter.RetryWhileKeyTakenAsync<int>(() => Task.FromResult(++attempts < 3 ? (int?)null : attempts));

        Assert.Equal(3, written);
        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task ABatchWhoseKeysAreTakenEveryTime_GivesUpAfterTheLastRetry_InsteadOfLooping()
    {
        var attempts = 0;

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            WalletWriter.RetryWhileKeyTakenAsync<int>(() => { attempts++; return Task.FromResult<int?>(null); }));

        Assert.Equal(WalletWriter.MaxKeyTakenRetries + 1, attempts);
        Assert.Contains("idempotency keys taken", failure.Message);
    }
}
