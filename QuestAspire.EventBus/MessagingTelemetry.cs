using System.Diagnostics;
using System.Diagnostics.Metrics;
using QuestAspire.ServiceDefaults.Telemetry;

namespace QuestAspire.EventBus;

/// <summary>
/// What the outbox relay and the event consumers report, on the service's own source and meter:
/// how long events take to process, how far the outbox is behind, and what was dead-lettered.
/// </summary>
public sealed class MessagingTelemetry
{
    public const string ProcessingDurationName = "messaging.event.processing.duration";
    public const string OutboxLagName = "messaging.outbox.lag";
    public const string DeadLetteredName = "messaging.dead_lettered";
    public const string RetriedName = "messaging.retried";
    public const string QueueDepthName = "messaging.queue.depth";

    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly TimeProvider _timeProvider;
    private readonly Histogram<double> _processingDuration;
    private readonly Counter<long> _deadLettered;
    private readonly Counter<long> _retried;
    private volatile IReadOnlyList<QueueDepth> _queueDepths = [];
    private long _outboxOldestUnsentTicks = NoOutbox;

    private const long NoOutbox = -1;
    private const long OutboxEmpty = 0;

    public MessagingTelemetry(ServiceTelemetry telemetry, TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        ActivitySource = telemetry.ActivitySource;
        _processingDuration = telemetry.Meter.CreateHistogram(ProcessingDurationName, unit: "s",
            description: "Time from an event's delivery to the commit of what its handler did.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _deadLettered = telemetry.Meter.CreateCounter<long>(DeadLetteredName, unit: "{message}",
            description: "Messages this service sent to the dead-letter exchange because they can never be handled.");
        _retried = telemetry.Meter.CreateCounter<long>(RetriedName, unit: "{message}",
            description: "Messages parked in a delay queue after a transient failure, to be delivered again.");
        telemetry.Meter.CreateObservableGauge(QueueDepthName, ObserveQueueDepths, unit: "{message}",
            description: "Messages waiting in this service's dead-letter queues (role dead-letter) and delay queues (role retry).");
        telemetry.Meter.CreateObservableGauge(OutboxLagName, ObserveOutboxLag, unit: "s",
            description: "Age of the oldest outbox row this replica saw unsent (0 once it has sent everything).");
    }

    public ActivitySource ActivitySource { get; }

    public void EventProcessed(string queue, string eventType, TimeSpan duration) =>
        _processingDuration.Record(duration.TotalSeconds,
            new KeyValuePair<string, object?>("messaging.destination.name", queue),
            new KeyValuePair<string, object?>("event.type", eventType));

    public void DeadLettered(string queue, string errorType) =>
        _deadLettered.Add(1,
            new KeyValuePair<string, object?>("messaging.destination.name", queue),
            new KeyValuePair<string, object?>("error.type", errorType));

    public void RetriedLater(string queue, int level) =>
        _retried.Add(1,
            new KeyValuePair<string, object?>("messaging.destination.name", queue),
            new KeyValuePair<string, object?>("messaging.retry.delay", DeliveryPolicy.RetryDelays[level].TotalSeconds));

    /// <summary>The latest look at the dead-letter and delay queues.</summary>
    public void QueueDepthsObserved(IReadOnlyList<QueueDepth> depths) => _queueDepths = depths;

    private IEnumerable<Measurement<long>> ObserveQueueDepths()
    {
        foreach (var depth in _queueDepths)
        {
            yield return new Measurement<long>(depth.DeadLetters,
                new KeyValuePair<string, object?>("messaging.destination.name", depth.Queue),
                new KeyValuePair<string, object?>("messaging.queue.role", "dead-letter"));
            yield return new Measurement<long>(depth.Retrying,
                new KeyValuePair<string, object?>("messaging.destination.name", depth.Queue),
                new KeyValuePair<string, object?>("messaging.queue.role", "retry"));
        }
    }

    /// <summary>The relay's latest look at its table: the creation time of the oldest unsent row, or null when none is left.</summary>
    public void OutboxObserved(DateTimeOffset? oldestUnsent) =>
        Interlocked.Exchange(ref _outboxOldestUnsentTicks, oldestUnsent?.UtcTicks ?? OutboxEmpty);

    private IEnumerable<Measurement<double>> ObserveOutboxLag()
    {
        var oldest = Interlocked.Read(ref _outboxOldestUnsentTicks);
        if (oldest == NoOutbox)
        {
            yield break; // this service has no outbox, or its relay has not looked yet
        }

        var lag = oldest == OutboxEmpty ? TimeSpan.Zero : _timeProvider.GetUtcNow() - new DateTimeOffset(oldest, TimeSpan.Zero);
        yield return new Measurement<double>(Math.Max(0, lag.TotalSeconds));
    }
}
