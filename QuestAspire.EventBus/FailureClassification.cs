using System.Data.Common;
using System.Net.Sockets;
using System.Text.Json;
using Polly.CircuitBreaker;
using Polly.Timeout;
using RabbitMQ.Client.Exceptions;

namespace QuestAspire.EventBus;

/// <summary>
/// Thrown by a handler for an event that can never succeed as it is: its data breaks a rule
/// (an unknown quest, a user that does not exist). The message is dead-lettered with the reason.
/// </summary>
public sealed class PermanentEventException(string message, Exception? innerException = null) : Exception(message, innerException);

public enum FailureClass
{
    /// <summary>A dependency is away or busy (database, broker, HTTP, a timeout, an open circuit, a serialization conflict): wait and try again, however often.</summary>
    Transient,

    /// <summary>The message itself is wrong (malformed, breaks a rule): trying again cannot help.</summary>
    Permanent,

    /// <summary>Neither: most likely a bug. Tried again a bounded number of times, then dead-lettered by the broker.</summary>
    Unknown,
}

/// <summary>Sorts a handler's failure into a <see cref="FailureClass"/> by looking through the exception and its causes.</summary>
public static class FailureClassifier
{
    // SQLSTATE classes (https://www.postgresql.org/docs/current/errcodes-appendix.html).
    private static readonly string[] TransientSqlStates =
    [
        "40001", // serialization_failure
        "40P01", // deadlock_detected
        "23505", // unique_violation: consumers dedupe by key, so this is a concurrent writer of the same row; the retry finds it
        "55P03", // lock_not_available
        "57P01", // admin_shutdown
        "57P02", // crash_shutdown
        "57P03", // cannot_connect_now
        "57014", // query_canceled (statement timeout)
    ];

    private static readonly string[] TransientSqlStateClasses = ["08", "53", "58"]; // connection, insufficient resources, system error
    private static readonly string[] PermanentSqlStateClasses = ["22", "23"]; // data exception, integrity constraint violation

    public static FailureClass Classify(Exception exception)
    {
        var sawPermanent = false;
        foreach (var e in Chain(exception))
        {
            if (e is DbException { SqlState: { Length: 5 } transientState } && TransientSqlStates.Contains(transientState))
            {
                return FailureClass.Transient; // before the permanent classes: 23505 sits in class 23
            }

            switch (e)
            {
                case PermanentEventException or JsonException or FormatException:
                    sawPermanent = true;
                    break;
                case DbException db when db.SqlState is { Length: 5 } state:
                    if (TransientSqlStates.Contains(state) || TransientSqlStateClasses.Contains(state[..2]))
                    {
                        return FailureClass.Transient;
                    }

                    if (PermanentSqlStateClasses.Contains(state[..2]))
                    {
                        sawPermanent = true;
                    }

                    break;
                case DbException db when db.IsTransient:
                    return FailureClass.Transient;
                case DbException:
                    // A client-side database error without a server state: the connection broke.
                    return FailureClass.Transient;
                case DependencyUnavailableException or TimeoutException or TimeoutRejectedException or BrokenCircuitException or HttpRequestException
                    or SocketException or IOException or OperationCanceledException
                    or AlreadyClosedException or BrokerUnreachableException or OperationInterruptedException:
                    return FailureClass.Transient;
            }
        }

        return sawPermanent ? FailureClass.Permanent : FailureClass.Unknown;
    }

    /// <summary>The exception and its causes, depth first (inner exceptions of aggregates too).</summary>
    private static IEnumerable<Exception> Chain(Exception exception)
    {
        var pending = new Stack<Exception>([exception]);
        var seen = 0;
        while (pending.Count > 0 && seen++ < 32)
        {
            var e = pending.Pop();
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.Reverse())
                {
                    pending.Push(inner);
                }
            }
            else if (e.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
    }
}

/// <summary>What happens to one delivery once its handling is over.</summary>
public enum DeliveryAction
{
    /// <summary>Done (handled, or already handled before): acknowledge.</summary>
    Ack,

    /// <summary>Park it in a delay queue and deliver it again later; the broker's delivery limit is not touched.</summary>
    RetryLater,

    /// <summary>Send it to the queue's dead-letter queue with the reason, then acknowledge.</summary>
    DeadLetter,

    /// <summary>Put it back on the queue now; it counts toward the broker's delivery limit (poison budget).</summary>
    Requeue,
}

/// <summary>A decision with its reason and, for <see cref="DeliveryAction.RetryLater"/>, the delay level.</summary>
public readonly record struct DeliveryDecision(DeliveryAction Action, string? Reason = null, int RetryLevel = 0, FailureClass? Failure = null);

/// <summary>
/// The consumer's rules, in one place and free of I/O: a transient failure waits in a delay
/// queue, growing with each attempt (never dead-lettered: a dependency being down is a reason to
/// wait); a permanent one is dead-lettered at once with its reason; an unknown one is put back
/// and the broker dead-letters it after <see cref="RabbitMQTopology.DeliveryLimit"/> deliveries.
/// </summary>
public static class DeliveryPolicy
{
    /// <summary>How long a retried message waits, by level: the n-th retry uses level min(n, last).</summary>
    public static readonly IReadOnlyList<TimeSpan> RetryDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)];

    /// <summary>
    /// The decision for a delivery whose handling failed; <paramref name="retries"/> is how often
    /// it was already retried later. A <paramref name="durable"/> queue has delay queues and a
    /// delivery limit; a broadcast queue (one per replica, in-memory handlers) has neither, so
    /// there an unknown failure is dead-lettered rather than put back forever.
    /// </summary>
    public static DeliveryDecision OnFailure(Exception exception, int retries, bool durable = true)
    {
        var failure = FailureClassifier.Classify(exception);
        var reason = $"{exception.GetType().Name}: {Innermost(exception).Message}";
        return (failure, durable) switch
        {
            (FailureClass.Permanent, _) => new(DeliveryAction.DeadLetter, reason, Failure: failure),
            (FailureClass.Transient, true) => new(DeliveryAction.RetryLater, reason, RetryLevel(retries), failure),
            (FailureClass.Unknown, false) => new(DeliveryAction.DeadLetter, reason, Failure: failure),
            _ => new(DeliveryAction.Requeue, reason, Failure: failure),
        };
    }

    /// <summary>The delay level of the retry after <paramref name="retries"/> earlier ones.</summary>
    public static int RetryLevel(int retries) => Math.Clamp(retries, 0, RetryDelays.Count - 1);

    /// <summary>
    /// Whether a failed batch is worth splitting to find the one event that fails. A transient
    /// failure (the database is down) would fail every part alike, so the batch waits whole.
    /// </summary>
    public static bool ShouldSplit(Exception batchFailure) => FailureClassifier.Classify(batchFailure) != FailureClass.Transient;

    private static Exception Innermost(Exception exception)
    {
        var e = exception;
        for (var depth = 0; e.InnerException is not null && depth < 16; depth++)
        {
            e = e.InnerException;
        }

        return e;
    }
}

/// <summary>Thrown when something an event needs is not there yet (a copy still loading): a transient failure, retried later.</summary>
public sealed class DependencyUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException);
