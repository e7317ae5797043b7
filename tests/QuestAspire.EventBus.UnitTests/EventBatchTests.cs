using System.Diagnostics;

namespace QuestAspire.EventBus.UnitTests;

/// <summary>How a batch step shows in the traces of the batch's events: copied into each at small sizes, linked at large ones.</summary>
public sealed class EventBatchTests : IDisposable
{
    private readonly ActivitySource _source = new("QuestAspire.Test." + Guid.NewGuid().ToString("N"));
    private readonly ActivityListener _listener;
    private readonly List<Activity> _stopped = [];

    public EventBatchTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == _source.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (_stopped)
                {
                    _stopped.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(EventBatch.MaxStepCopies)]
    public async Task SmallBatch_EveryEventsTraceGetsTheStep(int size)
    {
        var batch = Batch(size);

        var answer = await batch.StepAsync("progress lock", _ => Task.FromResult(42), TestContext.Current.CancellationToken);

        Assert.Equal(42, answer);
        var steps = Steps("progress lock");
        Assert.Equal(size, steps.Count);
        Assert.Equal(batch.Select(e => e.Activity!.TraceId.ToHexString()).Order(), steps.Select(s => s.TraceId.ToHexString()).Order());
        Assert.All(steps.Skip(1), follower => Assert.Equal(steps[0].SpanId, Assert.Single(follower.Links).Context.SpanId));
    }

    [Fact]
    public async Task BigBatch_OneStepSpan_LinkedToTheOtherEvents()
    {
        var batch = Batch(EventBatch.MaxStepCopies + 1);

        await batch.StepAsync("event-log write", _ => Task.CompletedTask, TestContext.Current.CancellationToken);

        var step = Assert.Single(Steps("event-log write"));
        Assert.Equal(batch[0].Activity!.TraceId, step.TraceId);
        Assert.Equal(batch.Skip(1).Select(e => e.Activity!.SpanId), step.Links.Select(l => l.Context.SpanId));
        Assert.Equal(EventBatch.MaxStepCopies + 1, step.GetTagItem(EventBatch.BatchSizeTag));
    }

    [Fact]
    public async Task AFailingStep_MarksItsSpansAsErrors_AndThrows()
    {
        var batch = Batch(3);

        await Assert.ThrowsAsync<TimeoutException>(() =>
            batch.StepAsync("commit", _ => Task.FromException(new TimeoutException()), TestContext.Current.CancellationToken));

        Assert.All(Steps("commit"), step => Assert.Equal(ActivityStatusCode.Error, step.Status));
    }

    private List<Activity> Steps(string name)
    {
        lock (_stopped)
        {
            return [.. _stopped.Where(a => a.OperationName == name).OrderBy(a => a.Links.Count() == 1 ? 1 : 0)];
        }
    }

    private EventBatch Batch(int size)
    {
        var events = Enumerable.Range(0, size).Select(i =>
        {
            var processing = _source.StartActivity($"process {i}", ActivityKind.Internal, parentContext: default);
            Activity.Current = null;
            var integrationEvent = IntegrationEvent.Create("UserSignIn", Guid.NewGuid(), DateTimeOffset.UnixEpoch);
            return new ReceivedEvent(integrationEvent, default, Redelivered: false) { Activity = processing };
        }).ToList();
        return new EventBatch(events, _source);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _source.Dispose();
    }
}
