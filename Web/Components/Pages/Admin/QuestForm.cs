using QuestAspire.Quests;
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

    // The settings' defaults are the rules' own.
    protected QuestForm() => ShowSettings(QuestSettings.Default);

    public string? Name { get; set; }

    public int? Streak { get; set; } = 1;

    public int? Duplication { get; set; } = 1;

    // The settings, one input each: the API's field errors find their input by these names
    // (event_type is EventType, ServerValidation), and the inputs take the forms the browser
    // edits (a reset choice and its cron, UTC times, ids as option values). They are read and
    // written only together, as the API's settings: ShowSettings and ToSettings.
    public string? EventType { get; set; }

    public string Kind { get; set; } = "";

    public string ValueMode { get; set; } = "";

    public int? Freezes { get; set; }

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
        ShowSettings(quest.Settings);
    }

    /// <summary>Puts the settings in their inputs.</summary>
    public void ShowSettings(QuestSettings settings)
    {
        EventType = settings.EventType;
        Kind = settings.Kind;
        ValueMode = settings.ValueMode;
        Freezes = settings.Freezes;
        Reset = settings.Reset switch
        {
            null => "",
            QuestKinds.Daily or QuestKinds.Weekly => settings.Reset,
            _ => CronChoice,
        };
        Cron = settings.Reset is null or QuestKinds.Daily or QuestKinds.Weekly ? null : settings.Reset;
        StartsAt = settings.StartsAt?.UtcDateTime;
        EndsAt = settings.EndsAt?.UtcDateTime;
        PreconditionIds = [.. settings.PreconditionIds.Select(id => id.ToString())];
    }

    /// <summary>
    /// The settings as the inputs hold them, for a request's <see cref="QuestSettingsRequest.Settings"/>.
    /// An empty field goes as null: the API gives it its default, or names it.
    /// </summary>
    public QuestSettingsInput ToSettings() => new(
        string.IsNullOrWhiteSpace(EventType) ? null : EventType,
        Kind,
        Freezes,
        Reset switch
        {
            "" => null,
            CronChoice => Cron ?? "",
            _ => Reset,
        },
        Utc(StartsAt),
        Utc(EndsAt),
        [.. PreconditionIds.Select(Guid.Parse)],
        ValueMode);

    public static DateTimeOffset? Utc(DateTime? time) =>
        time is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;
}
