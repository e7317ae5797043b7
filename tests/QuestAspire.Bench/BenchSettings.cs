namespace QuestAspire.Bench;

/// <summary>How big each scenario is: the full run (the figures in docs/bench.md) or the CI smoke (only that it works).</summary>
public sealed record BenchSettings(
    string Name,
    int FirehoseEvents,
    int FirehosePlayers,
    int OpenLoopPlayers,
    double[] Rates,
    TimeSpan StepDuration,
    TimeSpan? OverloadDuration,
    bool SampledRepeat,
    TimeSpan RawDuration,
    int RawInsertRows,
    int RawMessages,
    TimeSpan DrainTimeout,
    TimeSpan RunTimeout,
    TimeSpan? ProfileDuration = null,
    long ScaleEvents = 0,
    long ScaleCheckpointEvents = 1_000_000,
    int ScalePlayers = 100_000,
    int ScaleRequests = 300,
    TimeSpan ScaleLoadBudget = default,
    bool ScaleOnly = false,
    bool WalletOnly = false)
{
    public static readonly BenchSettings Full = new(
        "full", FirehoseEvents: 10_000, FirehosePlayers: 100, OpenLoopPlayers: 100, Rates: [10, 20, 40],
        StepDuration: TimeSpan.FromSeconds(30), OverloadDuration: TimeSpan.FromSeconds(10), SampledRepeat: true,
        RawDuration: TimeSpan.FromSeconds(5), RawInsertRows: 200_000, RawMessages: 100_000,
        DrainTimeout: TimeSpan.FromMinutes(15), RunTimeout: TimeSpan.FromMinutes(75),
        ScaleEvents: 10_000_000, ScaleLoadBudget: TimeSpan.FromMinutes(5));

    /// <summary>
    /// The event log at scale alone (<c>--scale</c>, for working on it): the raw limits, then the full run's
    /// scale scenario; <c>--scale-events N</c> sets its size.
    /// </summary>
    public static readonly BenchSettings Scale = Full with { Name = "scale", SampledRepeat = false, ScaleOnly = true, RunTimeout = TimeSpan.FromMinutes(45) };

    /// <summary>The wallet alone (<c>--wallet</c>, for working on it): the raw limits, then the full run's wallet scenario.</summary>
    public static readonly BenchSettings Wallet = Full with { Name = "wallet", SampledRepeat = false, WalletOnly = true, RunTimeout = TimeSpan.FromMinutes(20) };

    /// <summary>A long firehose with one worker replica profiled; no open loop, no second AppHost.</summary>
    public static readonly BenchSettings Profile = new(
        "profile", FirehoseEvents: 30_000, FirehosePlayers: 100, OpenLoopPlayers: 5, Rates: [],
        StepDuration: TimeSpan.FromSeconds(3), OverloadDuration: null, SampledRepeat: false,
        RawDuration: TimeSpan.FromSeconds(2), RawInsertRows: 50_000, RawMessages: 20_000,
        DrainTimeout: TimeSpan.FromMinutes(15), RunTimeout: TimeSpan.FromMinutes(30), ProfileDuration: TimeSpan.FromSeconds(20));

    public static readonly BenchSettings Smoke = new(
        "smoke", FirehoseEvents: 300, FirehosePlayers: 10, OpenLoopPlayers: 5, Rates: [10],
        StepDuration: TimeSpan.FromSeconds(3), OverloadDuration: null, SampledRepeat: false,
        RawDuration: TimeSpan.FromSeconds(1), RawInsertRows: 10_000, RawMessages: 5_000,
        DrainTimeout: TimeSpan.FromSeconds(90), RunTimeout: TimeSpan.FromMinutes(5));
}
