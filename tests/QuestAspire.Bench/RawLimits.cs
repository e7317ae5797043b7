using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using RabbitMQ.Client.Events;
using RabbitMQ.Client;

namespace QuestAspire.Bench;

public sealed record RawLimitsResult(
    double Commits1PerSecond, double Commits8PerSecond, double InsertRowsPerSecond,
    double PublishesPerSecond, double ConsumesPerSecond, double HashesPerSecond, double HashSeconds)
{
    public string Line =>
        $"raw limits: postgres commits {Stats.Rate(Commits1PerSecond)} (1 conn), {Stats.Rate(Commits8PerSecond)} (8 conns); " +
        $"batched insert {Stats.Rate(InsertRowsPerSecond)} rows; rabbitmq quorum publish+confirm {Stats.Rate(PublishesPerSecond)}, " +
        $"consume+ack {Stats.Rate(ConsumesPerSecond)}; password hash {Stats.Rate(HashesPerSecond)} on {Environment.ProcessorCount} threads ({Stats.Ms(HashSeconds)} each, one thread)";
}

/// <summary>
/// What this machine's Postgres, RabbitMQ and CPU do with no service code, on the servers the
/// AppHost started, in scratch objects removed afterwards: the yardstick for every other figure.
/// </summary>
public sealed class RawLimits(BenchHost host, BenchSettings settings)
{
    public async Task<RawLimitsResult> MeasureAsync(CancellationToken cancellationToken)
    {
        var database = "bench_scratch_" + Guid.NewGuid().ToString("N")[..8];
        await ExecuteAsync(host.PostgresServer, $"CREATE DATABASE {database}", cancellationToken);
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(host.PostgresConnectionString) { Database = database, MaxPoolSize = 16 };
            await using var scratch = NpgsqlDataSource.Create(builder.ConnectionString);
            await ExecuteAsync(scratch, """
                CREATE TABLE counters (id int PRIMARY KEY, n bigint NOT NULL);
                CREATE TABLE ticks (id bigserial PRIMARY KEY, counter int NOT NULL, at timestamptz NOT NULL);
                INSERT INTO counters SELECT i, 0 FROM generate_series(0, 7) i;
                -- The shape of Processing's event log: key, type, user, two times, a JSON document, and its index.
                CREATE TABLE events (event_id uuid PRIMARY KEY, event_type text NOT NULL, user_id uuid NOT NULL,
                    occurred_at timestamptz NOT NULL, recorded_at timestamptz NOT NULL, data jsonb NOT NULL);
                CREATE INDEX ON events (user_id, occurred_at DESC);
                """, cancellationToken);
            var commits1 = await CommitsPerSecondAsync(scratch, 1, cancellationToken);
            var commits8 = await CommitsPerSecondAsync(scratch, 8, cancellationToken);
            var inserts = await InsertRowsPerSecondAsync(scratch, cancellationToken);
            var (publishes, consumes) = await BrokerAsync(cancellationToken);
            var (hashes, hashSeconds) = PasswordHashes();
            return new RawLimitsResult(commits1, commits8, inserts, publishes, consumes, hashes, hashSeconds);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(host.PostgresServer, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)", CancellationToken.None);
        }
    }

    private static async Task ExecuteAsync(NpgsqlDataSource database, string sql, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Small two-statement transactions (an insert and an update of the connection's own counter row), committed one by one.</summary>
    private async Task<double> CommitsPerSecondAsync(NpgsqlDataSource scratch, int connections, CancellationToken cancellationToken)
    {
        var duration = settings.RawDuration;
        var total = 0L;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async counter =>
        {
            await using var connection = await scratch.OpenConnectionAsync(cancellationToken);
            while (clock.Elapsed < duration)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await using var batch = new NpgsqlBatch(connection, transaction)
                {
                    BatchCommands =
                    {
                        new NpgsqlBatchCommand("INSERT INTO ticks (counter, at) VALUES ($1, now())") { Parameters = { new() { Value = counter } } },
                        new NpgsqlBatchCommand("UPDATE counters SET n = n + 1 WHERE id = $1") { Parameters = { new() { Value = counter } } },
                    },
                };
                await batch.ExecuteNonQueryAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                Interlocked.Increment(ref total);
            }
        }));
        return total / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Event-shaped rows inserted 1000 at a time with <c>unnest</c>, one transaction per batch, from one connection.</summary>
    private async Task<double> InsertRowsPerSecondAsync(NpgsqlDataSource scratch, CancellationToken cancellationToken)
    {
        const int batchSize = 1000;
        await using var connection = await scratch.OpenConnectionAsync(cancellationToken);
        var users = Enumerable.Range(0, 200).Select(_ => Guid.NewGuid()).ToArray();
        var data = """{"source": "bench", "device": "web"}""";
        var rows = 0;
        var clock = Stopwatch.StartNew();
        while (rows < settings.RawInsertRows)
        {
            var now = DateTime.UtcNow;
            await using var command = new NpgsqlCommand("""
                INSERT INTO events (event_id, event_type, user_id, occurred_at, recorded_at, data)
                SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::timestamptz[], $5::timestamptz[], $6::jsonb[])
                """, connection)
            {
                Parameters =
                {
                    new() { Value = Enumerable.Range(0, batchSize).Select(_ => Guid.NewGuid()).ToArray() },
                    new() { Value = Enumerable.Repeat("UserSignIn", batchSize).ToArray() },
                    new() { Value = Enumerable.Range(0, batchSize).Select(i => users[(rows + i) % users.Length]).ToArray() },
                    new() { Value = Enumerable.Range(0, batchSize).Select(i => now.AddTicks(-i)).ToArray() },
                    new() { Value = Enumerable.Repeat(now, batchSize).ToArray() },
                    new() { Value = Enumerable.Repeat(data, batchSize).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb },
                },
            };
            await command.ExecuteNonQueryAsync(cancellationToken);
            rows += batchSize;
        }

        return rows / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Persistent messages to a scratch quorum queue with publisher confirms, then consumed with manual acks.</summary>
    private async Task<(double Publishes, double Consumes)> BrokerAsync(CancellationToken cancellationToken)
    {
        var queue = "bench.scratch." + Guid.NewGuid().ToString("N")[..8];
        var count = settings.RawMessages;
        await using (var setup = await host.Rabbit.CreateChannelAsync(cancellationToken: cancellationToken))
        {
            await setup.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
                new Dictionary<string, object?> { ["x-queue-type"] = "quorum" }, cancellationToken: cancellationToken);
        }

        try
        {
            var body = Firehose.Envelope(Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow);
            var publishClock = Stopwatch.StartNew();
            await Broker.PublishConfirmedAsync(host.Rabbit, "", Enumerable.Range(0, count).Select(_ => (queue, body)), cancellationToken);
            var publishes = count / publishClock.Elapsed.TotalSeconds;

            await using var channel = await host.Rabbit.CreateChannelAsync(cancellationToken: cancellationToken);
            await channel.BasicQosAsync(0, 1000, global: false, cancellationToken);
            var received = 0;
            var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += async (_, delivery) =>
            {
                // Acked in groups of 100, as a batching consumer acks after each batch.
                if (++received % 100 == 0 || received == count)
                {
                    await channel.BasicAckAsync(delivery.DeliveryTag, multiple: true);
                }

                if (received == count)
                {
                    all.TrySetResult();
                }
            };
            var consumeClock = Stopwatch.StartNew();
            await channel.BasicConsumeAsync(queue, autoAck: false, consumer, cancellationToken);
            await all.Task.WaitAsync(TimeSpan.FromSeconds(120), cancellationToken);
            return (publishes, count / consumeClock.Elapsed.TotalSeconds);
        }
        finally
        {
            await using var cleanup = await host.Rabbit.CreateChannelAsync(cancellationToken: CancellationToken.None);
            await cleanup.QueueDeleteAsync(queue, cancellationToken: CancellationToken.None);
        }
    }

    /// <summary>
    /// Auth's password hash (ASP.NET Core Identity v3: PBKDF2, HMAC-SHA512, 100,000 iterations) on
    /// every core: the most sign-ins per second the machine can check, whatever the service does.
    /// </summary>
    private (double PerSecond, double Seconds) PasswordHashes()
    {
        var password = Encoding.UTF8.GetBytes("bench-password-1");
        var salt = RandomNumberGenerator.GetBytes(16);
        var one = Stopwatch.StartNew();
        for (var i = 0; i < 5; i++)
        {
            Rfc2898DeriveBytes.Pbkdf2(password, salt, 100_000, HashAlgorithmName.SHA512, 32);
        }

        var single = one.Elapsed.TotalSeconds / 5;

        var hashes = 0;
        var clock = Stopwatch.StartNew();
        Parallel.For(0, Environment.ProcessorCount, _ =>
        {
            while (clock.Elapsed < settings.RawDuration)
            {
                Rfc2898DeriveBytes.Pbkdf2(password, salt, 100_000, HashAlgorithmName.SHA512, 32);
                Interlocked.Increment(ref hashes);
            }
        });
        return (hashes / clock.Elapsed.TotalSeconds, single);
    }
}
