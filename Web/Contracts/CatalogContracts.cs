using QuestAspire.Quests;

namespace QuestAspire.Web.Contracts;

// The shapes Catalog.Api answers with and takes.

public sealed record Reward(Guid RewardId, string Name, string Item, int Qty, bool IsActive);

/// <summary>A catalog quest; its settings, with their defaults, are the catalog's own (<see cref="QuestSettingsResponse"/>).</summary>
public sealed record Quest(
    Guid QuestId,
    string Name,
    string Description,
    int Streak,
    int Duplication,
    bool AutoClaim,
    bool IsActive,
    Reward Reward) : QuestSettingsResponse;

/// <summary>
/// The body of POST and PUT <c>/api/quests</c>; empty fields go as null so the API names them
/// (or, for the settings, <see cref="QuestSettingsRequest"/>, gives them their defaults).
/// </summary>
public sealed record QuestRequest(string? Name, string? Description, int? Streak, int? Duplication, bool? AutoClaim, Guid? RewardId) : QuestSettingsRequest;

/// <summary>The values of the quest-kind fields the Web shows or offers: the quest rules' own.</summary>
public static class QuestKinds
{
    public const string SignIn = QuestSettings.SignIn;
    public const string Count = QuestSettings.CountKind;
    public const string DailyStreak = QuestSettings.DailyStreakKind;
    public const string CountMode = QuestSettings.CountMode;
    public const string SumMode = QuestSettings.SumMode;
    public const string Daily = QuestSchedule.DailyName;
    public const string Weekly = QuestSchedule.WeeklyName;
}

/// <summary>The body of POST and PUT <c>/api/rewards</c>.</summary>
public sealed record RewardRequest(string? Name, string? Item, int? Qty);

public static class RewardItems
{
    public const string Gold = "gold";
    public const string Diamond = "diamond";

    public static readonly IReadOnlyList<string> All = [Gold, Diamond];
}
