namespace QuestAspire.IntegrationTests;

public sealed class ShutdownTests
{
    [Fact]
    public async Task StoppingTheAppHost_LeavesNoServerProcessBehind()
    {
        var stateDirectory = TestAppHost.NewStateDirectory();
        var cancellationToken = TestContext.Current.CancellationToken;
        try
        {
            var app = await TestAppHost.StartAsync(stateDirectory, cancellationToken);
            await using (app)
            {
                await TestAppHost.WaitForAllHealthyAsync(app, cancellationToken);

                var running = TestAppHost.ProcessesRunningIn(stateDirectory);
                // postgres (and its workers), beam.smp, epmd and redis-server at the least.
                Assert.True(running.Count >= 4, $"expected the local servers to run in {stateDirectory}, saw: {string.Join("; ", running)}");

                await app.StopAsync(cancellationToken).WaitAsync(TestAppHost.StopTimeout, cancellationToken);
            }

            var deadline = DateTime.UtcNow + TestAppHost.StopTimeout;
            var left = TestAppHost.ProcessesRunningIn(stateDirectory);
            while (left.Count > 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
                left = TestAppHost.ProcessesRunningIn(stateDirectory);
            }

            Assert.True(left.Count == 0, $"still running after stop: {string.Join("; ", left)}");
        }
        finally
        {
            TestAppHost.DeleteStateDirectory(stateDirectory);
        }
    }
}
