using QuestAspire.Data;
using RabbitMQ.Client.Exceptions;

namespace QuestAspire.EventBus.UnitTests;

/// <summary>What the outbox relay does with each row of a batch, from the broker's answer to its publish.</summary>
public sealed class OutboxBatchOutcomeTests
{
    private static PublishReturnException Returned() =>
        new(publishSequenceNumber: 1, "no route", exchange: "questaspire.events", routingKey: "RewardChanged", replyCode: 312, replyText: "NO_ROUTE");

    [Fact]
    public void AllConfirmed_AllSent()
    {
        var outcome = OutboxBatchOutcome.Of([null, null, null]);

        Assert.Equal([0, 1, 2], outcome.Sent);
        Assert.Empty(outcome.Unrouted);
        Assert.Null(outcome.BrokerFailure);
    }

    [Fact]
    public void AnEventNoQueueIsBoundFor_WaitsAlone_TheOthersAreSent()
    {
        var outcome = OutboxBatchOutcome.Of([null, Returned(), null]);

        Assert.Equal([0, 2], outcome.Sent);
        Assert.Equal([1], outcome.Unrouted);
        Assert.Null(outcome.BrokerFailure);
    }

    [Fact]
    public void TheBrokerGoingAwayMidway_KeepsWhatWasConfirmed_AndReportsTheFailure()
    {
        var lost = new AlreadyClosedException(new RabbitMQ.Client.Events.ShutdownEventArgs(RabbitMQ.Client.ShutdownInitiator.Peer, 320, "CONNECTION_FORCED"));

        var outcome = OutboxBatchOutcome.Of([null, lost, lost]);

        Assert.Equal([0], outcome.Sent);
        Assert.Empty(outcome.Unrouted);
        Assert.Same(lost, outcome.BrokerFailure);
    }
}
