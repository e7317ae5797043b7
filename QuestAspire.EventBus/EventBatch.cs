using System.Collections;
using System.Diagnostics;

namespace QuestAspire.EventBus;

/// <summary>
/// An event taken off a queue. <see cref="Activity"/> is its processing span, a child of the
/// message's receive span, which continues the trace carried in the message headers.
/// </summary>
public sealed record ReceivedEvent(IntegrationEvent Event, ActivityContext ParentContext, bool Redelivered)
{
    /// <summary>The span of this event's handling; null when no one listens.</summary>
    public Activity? Activity { get; init; }

    /// <summary>
    /// Makes this event's span current until disposed, so what runs meanwhile (a query, an
    /// HTTP call, an outbox row it writes) belongs to the event's trace.
    /// </summary>
    public TraceScope EnterTrace() => new(Activity);
}

/// <summary>Restores the span that was current before <see cref="ReceivedEvent.EnterTrace"/>.</summary>
public readonly struct TraceScope : IDisposable
{
    private readonly Activity? _previous;

    public TraceScope(Activity? activity)
    {
        _previous = Activity.Current;
        Activity.Current = activity;
    }

    public void Dispose() => Activity.Current = _previous;
}

/// <summary>
/// The events a handler gets at once. Work done once for all of them (one SQL statement for the
/// whole batch) is a <see cref="StepAsync{T}"/>: it runs in the first event's trace, where its
/// database spans appear. In a small batch (the usual case at human rates) every other event's
/// trace gets a span of the same name over the same interval, tagged with the batch size and
/// linked to the first, so each sign-in's trace still shows every step of its handling. In a big
/// batch (a burst) that would be thousands of copies per batch, so there the step span links to
/// the events instead, and each event keeps its own processing span.
/// </summary>
public sealed class EventBatch(IReadOnlyList<ReceivedEvent> events, ActivitySource activitySource) : IReadOnlyList<ReceivedEvent>
{
    public const string BatchSizeTag = "messaging.batch.message_count";

    /// <summary>Above this many events, steps are not copied into every event's trace but linked to the events.</summary>
    public const int MaxStepCopies = 16;

    /// <summary>At most this many links on a step span (OpenTelemetry's default link limit).</summary>
    public const int MaxLinks = 128;

    public ReceivedEvent this[int index] => events[index];

    public int Count => events.Count;

    public IEnumerator<ReceivedEvent> GetEnumerator() => events.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public async Task StepAsync(string name, Func<CancellationToken, Task> step, CancellationToken cancellationToken) =>
        await StepAsync(name, async ct =>
        {
            await step(ct);
            return true;
        }, cancellationToken);

    public async Task<T> StepAsync<T>(string name, Func<CancellationToken, Task<T>> step, CancellationToken cancellationToken)
    {
        var startTime = DateTimeOffset.UtcNow;
        var copies = events.Count <= MaxStepCopies;
        using var lead = StartStep(name, events[0], startTime, copies ? [] : LinksToOthers());
        Exception? failure = null;
        try
        {
            using (new TraceScope(lead ?? events[0].Activity))
            {
                return await step(cancellationToken);
            }
        }
        catch (Exception e)
        {
            failure = e;
            throw;
        }
        finally
        {
            var endTime = DateTime.UtcNow;
            Fail(lead, failure);
            for (var i = 1; copies && i < events.Count; i++)
            {
                using var follower = StartStep(name, events[i], startTime, lead is null ? [] : [new ActivityLink(lead.Context)]);
                Fail(follower, failure);
                follower?.SetEndTime(endTime);
            }
        }
    }

    private ActivityLink[] LinksToOthers() =>
        [.. events.Skip(1).Take(MaxLinks).Where(e => e.Activity is not null).Select(e => new ActivityLink(e.Activity!.Context))];

    private Activity? StartStep(string name, ReceivedEvent received, DateTimeOffset startTime, ActivityLink[] links)
    {
        if (received.Activity is not { } parent)
        {
            return null;
        }

        // Started with an explicit parent, so it never becomes a child of whatever is current.
        var previous = Activity.Current;
        var activity = activitySource.StartActivity(name, ActivityKind.Internal, parent.Context,
            links: links.Length == 0 ? null : links, startTime: startTime);
        activity?.SetTag(BatchSizeTag, events.Count);
        Activity.Current = previous;
        return activity;
    }

    private static void Fail(Activity? activity, Exception? failure)
    {
        if (activity is not null && failure is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, failure.GetType().Name);
        }
    }
}
