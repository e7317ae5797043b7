namespace QuestAspire.Catalog.Api.Model;

/// <summary>A quest as an admin defines it, after <see cref="CatalogRules.ValidateQuest"/>.</summary>
public sealed record QuestDefinition(string Name, string Description, int Streak, int Duplication, bool AutoClaim, Guid RewardId)
{
    public QuestSettings Settings { get; init; } = QuestSettings.Default;
}

/// <summary>A reward as an admin defines it, after <see cref="CatalogRules.ValidateReward"/>.</summary>
public sealed record RewardDefinition(string Name, RewardItem Item, int Qty);

/// <summary>
/// The outcome of a rule check: a value, or errors keyed by the public (snake_case) field name
/// they concern, ready for a validation problem.
/// </summary>
public sealed class Validated<T>
    where T : class
{
    internal Validated(T? value, IReadOnlyDictionary<string, string[]> errors) => (Value, Errors) = (value, errors);

    /// <summary>The checked value; null when there are errors.</summary>
    public T? Value { get; }

    public IReadOnlyDictionary<string, string[]> Errors { get; }

    public bool IsValid => Value is not null;
}

/// <summary>
/// The rules a quest or reward definition must follow on its own. Rules that need the database
/// (unique names, the reward exists) are checked by the API against the data.
/// </summary>
public static class CatalogRules
{
    public const int MaxNameLength = 100;
    public const int MaxDescriptionLength = 1000;

    // The bounds of the counting fields are shared with the worker's backtest (QuestFields, which says why they are what they are).
    public const int MaxStreak = QuestFields.MaxStreak;
    public const int MaxDuplication = QuestFields.MaxDuplication;
    public const int MaxQty = QuestFields.MaxQty;
    public const int MaxEventTypeLength = QuestFields.MaxEventTypeLength;
    public const long MaxPayoutPerQuest = QuestFields.MaxPayoutPerQuest;

    private static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

    /// <summary>The public field names errors are reported under.</summary>
    public static class Fields
    {
        public const string Name = "name";
        public const string Description = "description";
        public const string AutoClaim = "auto_claim";
        public const string RewardId = "reward_id";
        public const string Streak = QuestFields.Names.Streak;
        public const string Duplication = QuestFields.Names.Duplication;
        public const string Item = QuestFields.Names.Item;
        public const string Qty = QuestFields.Names.Qty;
        public const string EventType = QuestFields.Names.EventType;
        public const string Kind = QuestFields.Names.Kind;
        public const string Freezes = QuestFields.Names.Freezes;
        public const string Reset = QuestFields.Names.Reset;
        public const string StartsAt = QuestFields.Names.StartsAt;
        public const string EndsAt = QuestFields.Names.EndsAt;
        public const string PreconditionIds = QuestFields.Names.PreconditionIds;
        public const string ValueMode = QuestFields.Names.ValueMode;
    }

    public static Validated<QuestDefinition> ValidateQuest(
        string? name, string? description, int? streak, int? duplication, bool? autoClaim, Guid? rewardId, QuestSettingsInput? input = null)
    {
        var errors = new FieldErrors();
        var settings = QuestFields.CheckSettings(input, errors);
        var checkedName = CheckName(name, errors);

        // Stored exactly as sent (newlines and all), so what an admin wrote reads back unchanged.
        var checkedDescription = TextRules.Description(description, Fields.Description);
        if (description is null)
        {
            errors.Add(Fields.Description, "description is required.");
        }
        else if (!checkedDescription.IsValid)
        {
            errors.Add(Fields.Description, checkedDescription.Error!);
        }
        else if (description.Length > MaxDescriptionLength)
        {
            errors.Add(Fields.Description, $"description must be at most {MaxDescriptionLength} characters.");
        }

        QuestFields.CheckCounts(streak, duplication, settings, errors);

        if (autoClaim is null)
        {
            errors.Add(Fields.AutoClaim, "auto_claim is required (true or false).");
        }

        if (rewardId is null)
        {
            errors.Add(Fields.RewardId, "reward_id is required.");
        }
        else if (rewardId == Guid.Empty)
        {
            errors.Add(Fields.RewardId, "reward_id must not be the empty uuid.");
        }

        return errors.Count > 0
            ? new(null, errors.ToDictionary())
            : new(new(checkedName!, description!, streak!.Value, duplication!.Value, autoClaim!.Value, rewardId!.Value) { Settings = settings }, NoErrors);
    }

    public static Validated<RewardDefinition> ValidateReward(string? name, string? item, int? qty)
    {
        var errors = new FieldErrors();
        var checkedName = CheckName(name, errors);
        RewardItem? checkedItem = QuestFields.CheckReward(item, qty, errors) switch
        {
            QuestFields.Gold => RewardItem.Gold,
            QuestFields.Diamond => RewardItem.Diamond,
            _ => null,
        };

        return errors.Count > 0
            ? new(null, errors.ToDictionary())
            : new(new(checkedName!, checkedItem!.Value, qty!.Value), NoErrors);
    }

    // NFKC-normalized and trimmed (the form stored and shown), no invisible or control characters.
    private static string? CheckName(string? name, FieldErrors errors)
    {
        var canonical = TextRules.CanonicalName(name, Fields.Name);
        if (!canonical.IsValid)
        {
            errors.Add(Fields.Name, canonical.Error!);
            return null;
        }

        if (canonical.Value!.Length == 0)
        {
            errors.Add(Fields.Name, "name is required.");
            return null;
        }

        if (canonical.Value.Length > MaxNameLength)
        {
            errors.Add(Fields.Name, $"name must be at most {MaxNameLength} characters.");
        }

        return canonical.Value;
    }
}
