using QuestAspire.Web.Contracts;

namespace QuestAspire.Web.Components.Pages.Admin;

/// <summary>
/// The fields that define what a quest counts, as <see cref="QuestFields"/> edits them: shared by
/// the catalog's quest editor and the backtest's draft quest, which add what each sends besides
/// (a description and a reward id; a reward itself).
/// </summary>
public abstract class QuestForm
{
    /// <summary>The <see cref="Reset"/> choice that takes its expression from <see cref="Cron"/>.</summary>
    public const string CronChoice = "cron";

    public string? Name { get; set; }

    public int? Streak { get; set; } = 1;

    public int? Duplication { get; set; } = 1;

    public string? EventType { get; set; } = QuestKinds.SignIn;

    public string Kind { get; set; } = QuestKinds.Count;

    public string ValueMode { get; set; } = QuestKinds.CountMode;

    public int? Freezes { get; set; } = 0;

    /// <summary>"" (never), daily, weekly, or <see cref="CronChoice"/>.</summary>
    public string Reset { get; set; } = "";

    public string? Cron { get; set; }

    // The inputs show and take UTC (the labels say so): the admin's browser zone is not the players'.
    public DateTime? StartsAt { get; set; }

    public DateTime? EndsAt { get; set; }

    public string[] PreconditionIds { get; set; } = [];

    /// <summary>Fills the fields from a catalog quest.</summary>
    public void CopyFrom(Quest quest)
    {
        Name = quest.Name;
        Streak = quest.Streak;
        Duplication = quest.Duplication;
        EventType = quest.EventType;
        Kind = quest.Kind;
        ValueMode = quest.ValueMode;
        Freezes = quest.Freezes;
        Reset = quest.Reset switch
        {
            null => "",
            QuestKinds.Daily or QuestKinds.Weekly => quest.Reset,
            _ => CronChoice,
        };
        Cron = quest.Reset is null or QuestKinds.Daily or QuestKinds.Weekly ? null : quest.Reset;
        StartsAt = quest.StartsAt?.UtcDateTime;
        EndsAt = quest.EndsAt?.UtcDateTime;
        PreconditionIds = [.. quest.PreconditionIds.Select(id => id.ToString())];
    }

    // An empty field goes as null: the API gives it its default, or names it.
    protected string? EventTypeValue => string.IsNullOrWhiteSpace(EventType) ? null : EventType;

    protected string? ResetValue => Reset switch
    {
        "" => null,
        CronChoice => Cron ?? "",
        _ => Reset,
    };

    protected IReadOnlyList<Guid> PreconditionIdsValue => [.. PreconditionIds.Select(Guid.Parse)];

    public static DateTimeOffset? Utc(DateTime? time) =>
        time is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;
}
