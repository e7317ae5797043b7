using System.Net.Sockets;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Polly.CircuitBreaker;
using RabbitMQ.Client.Exceptions;

namespace QuestAspire.EventBus.UnitTests;

/// <summary>What the consumer does with a delivery whose handling failed: ack, retry later, dead-letter or put back.</summary>
public sealed class DeliveryPolicyTests
{
    /// <summary>A database error with a server state, as Npgsql's PostgresException carries one.</summary>
    private sealed class FakeDbException(string sqlState, bool transient = false) : System.Data.Common.DbException($"SQLSTATE {sqlState}")
    {
        public override string SqlState => sqlState;

        public override bool IsTransient => transient;
    }

    /// <summary>A client-side database error (no server state), as when the connection breaks.</summary>
    private sealed class BrokenConnectionException() : System.Data.Common.DbException("connection reset");

    public static TheoryData<string, Exception> TransientFailures => new()
    {
        { "serialization conflict", new FakeDbException("40001") },
        { "deadlock", new FakeDbException("40P01") },
        { "two replicas inserting the same row at once (unique violation)", new DbUpdateException("save failed", new FakeDbException("23505")) },
        { "Postgres shutting down", new FakeDbException("57P01") },
        { "Postgres starting", new FakeDbException("57P03") },
        { "connection refused (class 08)", new FakeDbException("08006") },
        { "too many connections (class 53)", new FakeDbException("53300") },
        { "connection broke, no server state", new BrokenConnectionException() },
        { "EF gave up retrying", new RetryLimitExceededException("retries exhausted", new FakeDbException("57P01")) },
        { "EF save failed on a broken connection", new DbUpdateException("save failed", new BrokenConnectionException()) },
        { "timeout", new TimeoutException() },
        { "HTTP call failed", new HttpRequestException("connection refused") },
        { "circuit open", new BrokenCircuitException() },
        { "socket", new SocketException() },
        { "broker connection closed", new AlreadyClosedException(new RabbitMQ.Client.Events.ShutdownEventArgs(RabbitMQ.Client.ShutdownInitiator.Peer, 320, "CONNECTION_FORCED")) },
        { "a copy not loaded yet", new DependencyUnavailableException("catalog copy not loaded") },
        { "wrapped in an aggregate", new AggregateException(new InvalidOperationException("first"), new TimeoutException()) },
    };

    public static TheoryData<string, Exception> PermanentFailures => new()
    {
        { "rule broken", new PermanentEventException("unknown quest") },
        { "bad JSON in data", new JsonException("unexpected token") },
        { "foreign key: the user does not exist", new DbUpdateException("save failed", new FakeDbException("23503")) },
        { "numeric overflow", new FakeDbException("22003") },
    };

    [Theory]
    [MemberData(nameof(TransientFailures))]
    public void Transient_IsRetriedLater_AndNeverDeadLettered(string what, Exception failure)
    {
        for (var retries = 0; retries < 100; retries++)
        {
            var decision = DeliveryPolicy.OnFailure(failure, retries);

            Assert.True(decision.Action == DeliveryAction.RetryLater, $"{what} after {retries} retries: {decision}");
            Assert.Equal(FailureClass.Transient, decision.Failure);
        }
    }

    [Theory]
    [MemberData(nameof(PermanentFailures))]
    public void Permanent_IsDeadLetteredAtOnce_WithTheReason(string what, Exception failure)
    {
        var decision = DeliveryPolicy.OnFailure(failure, retries: 0);

        Assert.True(decision.Action == DeliveryAction.DeadLetter, $"{what}: {decision}");
        Assert.Equal(FailureClass.Permanent, decision.Failure);
        Assert.Contains(failure.GetType().Name, decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_IsPutBack_UsingThePoisonBudget()
    {
        var decision = DeliveryPolicy.OnFailure(new InvalidOperationException("a bug"), retries: 0);

        Assert.Equal(DeliveryAction.Requeue, decision.Action);
        Assert.Equal(FailureClass.Unknown, decision.Failure);
    }

    [Fact]
    public void OnABroadcastQueue_UnknownIsDeadLettered_TransientPutBack()
    {
        // No delay queues and no delivery limit there: putting an unknown failure back would loop forever.
        Assert.Equal(DeliveryAction.DeadLetter, DeliveryPolicy.OnFailure(new InvalidOperationException("a bug"), 0, durable: false).Action);
        Assert.Equal(DeliveryAction.Requeue, DeliveryPolicy.OnFailure(new TimeoutException(), 0, durable: false).Action);
        Assert.Equal(DeliveryAction.DeadLetter, DeliveryPolicy.OnFailure(new PermanentEventException("bad"), 0, durable: false).Action);
    }

    [Fact]
    public void ATransientCauseBeneathAPermanentLookingWrapper_IsTransient()
    {
        // EF wraps a broken connection during SaveChanges in DbUpdateException: the cause decides.
        var failure = new DbUpdateException("save failed", new FakeDbException("08006"));

        Assert.Equal(FailureClass.Transient, FailureClassifier.Classify(failure));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 5)]
    [InlineData(2, 30)]
    [InlineData(3, 30)]
    [InlineData(1000, 30)]
    public void RetryDelay_GrowsWithEachRetry_UpToTheLastLevel(int retries, int expectedSeconds)
    {
        var decision = DeliveryPolicy.OnFailure(new TimeoutException(), retries);

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), DeliveryPolicy.RetryDelays[decision.RetryLevel]);
    }

    [Fact]
    public void AFailedBatch_IsSplitOnlyWhenTheFailureIsNotTransient()
    {
        Assert.False(DeliveryPolicy.ShouldSplit(new FakeDbException("57P01")), "the database is down: every part would fail alike");
        Assert.True(DeliveryPolicy.ShouldSplit(new DbUpdateException("fk", new FakeDbException("23503"))), "one event breaks a rule: find it");
        Assert.True(DeliveryPolicy.ShouldSplit(new InvalidOperationException("a bug")), "unknown: find the one that fails");
    }

    [Fact]
    public void RetryQueues_AreNamedByTheirDelay()
    {
        Assert.Equal(
            ["processing-events.retry-1s", "processing-events.retry-5s", "processing-events.retry-30s"],
            Enumerable.Range(0, DeliveryPolicy.RetryDelays.Count).Select(level => RabbitMQTopology.RetryQueueOf("processing-events", level)));
    }
}
