using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using QuestAspire.Processing.Worker.IntegrationEvents.Events;
using QuestAspire.Processing.Worker.Services;
using QuestAspire.ServiceDefaults.Api;
using QuestAspire.EventBus;
using QuestAspire.Quests;

namespace QuestAspire.Processing.Worker.UnitTests;

/// <summary>A draft quest over the log, the catalog as of each event, and a rebuild's status: what the event store answers.</summary>
public sealed class BacktestTests
{
    private static readonly QuestEngine Engine = new(QuestEngine.DefaultGraceWindow);
    private static readonly DateTimeOffset Start = At("2026-11-01T10:00:00Z");
    private static readonly DateTimeOffset Forever = At("2100-01-01T00:00:00Z");

    [Fact]
    public void SeedQuestDraft_CountsLikeLiveProcessing_PerPlayerAndDay()
    {
        var (nine, four) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var draft = Draft(3, 2) with { RewardItem = "diamond", RewardQty = 10 };
        var backtest = new Backtest(Engine, draft, DateTimeOffset.UnixEpoch, Forever);

        // Nine sign-ins over two days: completions at 3 and 6, then the limit; four: one completion.
        backtest.Add(SignIns(nine, 9, TimeSpan.FromHours(5)));
        backtest.Add(SignIns(four, 4, TimeSpan.FromMinutes(1)));

        var result = backtest.Result();
        Assert.Equal(13, result.EventsScanned);
        Assert.Equal(3, result.Completions);
        Assert.Equal(2, result.Players);
        Assert.Equal((0, 30), (result.Gold, result.Diamond));
        Assert.Equal([(DateOnly.Parse("2026-11-01", CultureInfo.InvariantCulture), 2), (DateOnly.Parse("2026-11-02", CultureInfo.InvariantCulture), 1)], result.ByDay);
    }

    [Fact]
    public void EventsOutsideTheRange_AreNotScanned_AndProgressStartsFromZeroAtFrom()
    {
        var player = Guid.CreateVersion7();
        var backtest = new Backtest(Engine, Draft(3, 5), Start.AddMinutes(2), Forever);

        backtest.Add(SignIns(player, 5, TimeSpan.FromMinutes(1))); // minutes 0..4: two before from

        var result = backtest.Result();
        Assert.Equal(3, result.EventsScanned);
        Assert.Equal(1, result.Completions);
    }

    [Fact]
    public void Precondition_IsMetFromTheLoggedCompletionOn_EvenBeforeFrom()
    {
        var (player, first) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var draft = Draft(1, 10) with { PreconditionIds = [first] };
        // Emitted while the sign-in at 1 was processed: recorded with its batch, occurred a moment after it.
        var completed = Logged(player, EventNames.QuestCompleted, Start.AddMinutes(1).AddSeconds(1), Start.AddMinutes(1),
            new QuestCompletedData(first, "first", 1, "gold", 5, false, 1));
        var log = SignIns(player, 3, TimeSpan.FromMinutes(1)).Append(completed); // sign-ins at 0, 1, 2
        var backtest = new Backtest(Engine, draft, DateTimeOffset.UnixEpoch, Forever);

        backtest.Add([.. LogReplay.InProcessingOrder(log)]);

        // The sign-ins at 0 and 1 are locked; the one at 2 counts.
        Assert.Equal(1, backtest.Result().Completions);
    }

    [Fact]
    public void ZoneChanges_TheOneThatHappenedLastWins_WhateverOrderTheyArrivedIn()
    {
        var player = Guid.CreateVersion7();
        var streak = new QuestRule(Guid.CreateVersion7(), "two-days", 2, 1) { EventType = "match_won", Kind = QuestKind.DailyStreak };
        // Tokyo was set last (10:05) but logged first; the older change to UTC (10:00) arrives after it and must not win.
        var tokyo = Logged(player, EventNames.TimeZoneChanged, Start.AddMinutes(5), Start.AddMinutes(5), new TimeZoneChangedData("Asia/Tokyo"));
        var utc = Logged(player, EventNames.TimeZoneChanged, Start, Start.AddMinutes(6), new TimeZoneChangedData("UTC"));
        // 16:00Z and 14:00Z the next day: one Tokyo day.
        var first = Logged(player, "match_won", At("2026-11-01T16:00:00Z"), At("2026-11-02T15:00:00Z"), new { value = 1 });
        var second = Logged(player, "match_won", At("2026-11-02T14:00:00Z"), At("2026-11-02T15:00:00Z"), new { value = 1 });
        var backtest = new Backtest(Engine, streak, DateTimeOffset.UnixEpoch, Forever);

        backtest.Add([.. LogReplay.InProcessingOrder([tokyo, utc, first, second])]);

        Assert.Equal(0, backtest.Result().Completions); // one local day: no streak of two
    }

    [Fact]
    public void CatalogHistory_GivesEachQuestsNewestDefinitionUpToTheVersion_AndTheCurrentCatalogForUnstampedEvents()
    {
        var (seed, later) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var versions = new[]
        {
            Catalog(seed, 1, streak: 3),
            Catalog(seed, 5, streak: 4),
            Catalog(later, 7, streak: 1),
        };
        var current = QuestCatalog.CreateSnapshot([Catalog(seed, 5, streak: 4), Catalog(later, 7, streak: 1)], 7, NullLogger.Instance);
        var history = new CatalogHistory(versions, current, NullLogger.Instance);

        Assert.Equal([(seed, 3)], history.At(4).Active.Select(q => (q.QuestId, q.Streak)));
        Assert.Equal([(seed, 4)], history.At(6).Active.Select(q => (q.QuestId, q.Streak)));
        Assert.Equal(2, history.At(7).Active.Count);
        Assert.Same(current, history.At(0));
    }

    [Fact]
    public void Replay_WithTheCatalogOfEachEvent_DoesNotCountEventsFromBeforeAQuestExisted()
    {
        var player = Guid.CreateVersion7();
        var quest = Guid.CreateVersion7();
        var history = new CatalogHistory([Catalog(quest, 2, streak: 2)], QuestCatalog.CreateSnapshot([Catalog(quest, 2, streak: 2)], 2, NullLogger.Instance), NullLogger.Instance);
        // Two sign-ins processed at catalog version 1 (the quest did not exist), two at version 2.
        var log = Enumerable.Range(0, 4).Select(i => Stamped(player, Start.AddMinutes(i), i < 2 ? 1 : 2)).ToList();
        var outcomes = new List<string>();
        var progress = new PlayerProgress(player, QuestSchedule.ZoneOf(null));

        LogReplay.Replay(Engine, e => history.At(e.CatalogVersion).Active, log, _ => progress, (_, _, outcome) => outcomes.Add(LogReplay.Describe(outcome.Reason)));

        Assert.Equal(["counted", "counted"], outcomes);
        Assert.Equal(1, progress.CompletionsOf(quest));
    }

    [Fact]
    public void Rebuild_WhoseReplicaStoppedBeating_ReadsAsFailed()
    {
        var time = new FakeTimeProvider(Start);
        var rebuild = ProgressRebuild.Start(Guid.CreateVersion7(), time.GetUtcNow());
        time.Advance(TimeSpan.FromSeconds(10));
        rebuild.Report(10, 100, 1, time.GetUtcNow());

        time.Advance(ProgressRebuild.HeartbeatTimeout);
        Assert.Equal(ProgressRebuild.Running, rebuild.StatusAt(time.GetUtcNow()));
        Assert.Null(rebuild.ErrorAt(time.GetUtcNow()));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(ProgressRebuild.Failed, rebuild.StatusAt(time.GetUtcNow()));
        Assert.Contains("stopped", rebuild.ErrorAt(time.GetUtcNow()), StringComparison.Ordinal);

        rebuild.Complete(120, 2, 0, time.GetUtcNow());
        Assert.Equal(ProgressRebuild.Completed, rebuild.StatusAt(time.GetUtcNow() + TimeSpan.FromDays(1)));
        Assert.Equal((120, 120, 2), (rebuild.EventsApplied, rebuild.EventsTotal, rebuild.Players)); // the final counts, not the last heartbeat's
    }

    private static QuestRule Draft(int streak, int duplication) => new(Guid.CreateVersion7(), "draft", streak, duplication);

    private static CatalogQuest Catalog(Guid questId, long version, int streak) =>
        new(questId, $"quest-{questId}", streak, 1, false, true, version, new CatalogReward("gold", 1));

    private static List<LoggedEvent> SignIns(Guid player, int count, TimeSpan apart) =>
        [.. Enumerable.Range(0, count).Select(i => Logged(player, i == 0 ? EventNames.NewUserSignIn : EventNames.UserSignIn, Start + (apart * i), Start + (apart * i)))];

    private static LoggedEvent Stamped(Guid player, DateTimeOffset at, long catalogVersion) =>
        LoggedEvent.Restore(Guid.CreateVersion7(), EventNames.UserSignIn, player, at, at, "{}", catalogVersion);

    private static LoggedEvent Logged(Guid player, string type, DateTimeOffset occurredAt, DateTimeOffset recordedAt, object? data = null) =>
        LoggedEvent.Record(new IntegrationEvent(Guid.CreateVersion7(), type, player, occurredAt,
            data is null ? JsonSerializer.SerializeToElement(new { }) : JsonSerializer.SerializeToElement(data, ApiDefaults.JsonOptions)), recordedAt);

    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
}
