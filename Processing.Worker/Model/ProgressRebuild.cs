namespace QuestAspire.Processing.Worker.Model;

/// <summary>
/// One rebuild of the progress projection from the event log, as any replica can report it: the
/// replica running it writes its progress here (<see cref="HeartbeatAt"/> at least every few
/// seconds), so a rebuild whose replica died shows as failed instead of running forever.
/// </summary>
public sealed class ProgressRebuild
{
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";

    /// <summary>A running rebuild whose heartbeat is older than this has lost its replica.</summary>
    public static readonly TimeSpan HeartbeatTimeout = TimeSpan.FromSeconds(30);

    public Guid RebuildId { get; private set; }

    public string Status { get; private set; } = Running;

    public long EventsApplied { get; private set; }

    public long EventsTotal { get; private set; }

    public int Players { get; private set; }

    /// <summary>Progress rows the switch-over inserted, changed or deleted: 0 when the projection already matched the log.</summary>
    public int RowsChanged { get; private set; }

    public DateTimeOffset StartedAt { get; private set; }

    public DateTimeOffset HeartbeatAt { get; private set; }

    public DateTimeOffset? FinishedAt { get; private set; }

    public string? Error { get; private set; }

    public static ProgressRebuild Start(Guid rebuildId, DateTimeOffset now) =>
        new() { RebuildId = rebuildId, StartedAt = now.ToUniversalTime(), HeartbeatAt = now.ToUniversalTime() };

    /// <summary>The status as of <paramref name="now"/>: a running rebuild without a heartbeat for <see cref="HeartbeatTimeout"/> has failed.</summary>
    public string StatusAt(DateTimeOffset now) =>
        Status == Running && now - HeartbeatAt > HeartbeatTimeout ? Failed : Status;

    public string? ErrorAt(DateTimeOffset now) =>
        StatusAt(now) == Failed && Status == Running ? "The worker replica running the rebuild stopped; the progress was not switched over. Start a new rebuild." : Error;

    public void Report(long eventsApplied, long eventsTotal, int players, DateTimeOffset now) =>
        (EventsApplied, EventsTotal, Players, HeartbeatAt) = (eventsApplied, eventsTotal, players, now.ToUniversalTime());

    public void Complete(int rowsChanged, DateTimeOffset now) =>
        (Status, RowsChanged, HeartbeatAt, FinishedAt) = (Completed, rowsChanged, now.ToUniversalTime(), now.ToUniversalTime());

    public void Fail(string error, DateTimeOffset now) =>
        (Status, Error, HeartbeatAt, FinishedAt) = (Failed, error, now.ToUniversalTime(), now.ToUniversalTime());
}
