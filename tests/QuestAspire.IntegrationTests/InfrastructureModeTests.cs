using QuestAspire.AppHost.Infrastructure;

namespace QuestAspire.IntegrationTests;

/// <summary>The application model each mode builds; nothing is started.</summary>
public sealed class InfrastructureModeTests : IDisposable
{
    private readonly string _stateDirectory = TestAppHost.NewStateDirectory();

    [Fact]
    public async Task ForcedSwitch_PicksLocalProcesses()
    {
        var builder = await TestAppHost.CreateBuilderAsync(TestAppHost.LocalArgs(_stateDirectory), TestContext.Current.CancellationToken);

        Assert.IsType<LocalPostgresServerResource>(builder.Resources.Single(r => r.Name == ResourceNames.Postgres));
        Assert.IsType<LocalPostgresDatabaseResource>(builder.Resources.Single(r => r.Name == ResourceNames.AuthDb));
        Assert.IsType<LocalRabbitMQServerResource>(builder.Resources.Single(r => r.Name == ResourceNames.RabbitMQ));
        Assert.IsType<LocalRedisResource>(builder.Resources.Single(r => r.Name == ResourceNames.Redis));
    }

    [Fact]
    public async Task ForcedSwitch_PicksContainers_WithTheSameResourceNames()
    {
        var builder = await TestAppHost.CreateBuilderAsync(
            [$"--{InfrastructureModeExtensions.ConfigurationKey}=Containers", $"--Parameters:{ResourceNames.AdminPassword}=x"],
            TestContext.Current.CancellationToken);

        Assert.IsType<PostgresServerResource>(builder.Resources.Single(r => r.Name == ResourceNames.Postgres));
        Assert.IsType<PostgresDatabaseResource>(builder.Resources.Single(r => r.Name == ResourceNames.AuthDb));
        Assert.IsType<PostgresDatabaseResource>(builder.Resources.Single(r => r.Name == ResourceNames.CatalogDb));
        Assert.IsType<PostgresDatabaseResource>(builder.Resources.Single(r => r.Name == ResourceNames.ProcessingDb));
        Assert.IsType<RabbitMQServerResource>(builder.Resources.Single(r => r.Name == ResourceNames.RabbitMQ));
        Assert.IsType<RedisResource>(builder.Resources.Single(r => r.Name == ResourceNames.Redis));
    }

    [Fact]
    public async Task UnknownMode_FailsWithTheAllowedValues()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestAppHost.CreateBuilderAsync(
            [$"--{InfrastructureModeExtensions.ConfigurationKey}=Kubernetes"], TestContext.Current.CancellationToken));

        var message = Flatten(error);
        Assert.Contains("'Kubernetes' is not an infrastructure mode", message, StringComparison.Ordinal);
        Assert.Contains("LocalProcesses", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingServerBinary_FailsFast_NamingTheDebianPackage()
    {
        var emptyBin = Directory.CreateDirectory(Path.Combine(_stateDirectory, "empty-bin")).FullName;

        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestAppHost.CreateBuilderAsync(
            TestAppHost.LocalArgs(_stateDirectory, $"--{LocalState.BinarySearchPathKey}={emptyBin}"),
            TestContext.Current.CancellationToken));

        var message = Flatten(error);
        Assert.Contains("'postgres' was not found", message, StringComparison.Ordinal);
        Assert.Contains("apt-get install -y postgresql", message, StringComparison.Ordinal);
    }

    public void Dispose() => TestAppHost.DeleteStateDirectory(_stateDirectory);

    private static string Flatten(Exception error)
    {
        var messages = new List<string>();
        for (var e = error; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
        }

        return string.Join(" | ", messages);
    }
}
