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
/// The rules a quest or reward definition must follow: on its own (<see cref="ValidateQuest"/>,
/// <see cref="ValidateReward"/>), then against the catalog as the command found it
/// (<see cref="CheckQuestInCatalog"/>: its reward, its preconditions). Unique names are left to
/// the unique name key when the change is saved.
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

    /// <summary>
    /// The rules of a valid <paramref name="definition"/> that need the data, given what the
    /// command loaded: its <paramref name="reward"/> (null: none has its id) exists, and an inactive
    /// one only stays on the quest that already pays it; its preconditions pass
    /// <see cref="CheckPreconditions"/>. <paramref name="current"/> is the quest being replaced, null for a new one.
    /// </summary>
    public static Validated<QuestDefinition> CheckQuestInCatalog(
        QuestDefinition definition, Quest? current, Reward? reward, IReadOnlyDictionary<Guid, IReadOnlyList<Guid>> preconditionsOf)
    {
        var errors = new FieldErrors();
        if (reward is null)
        {
            errors.Add(Fields.RewardId, $"No reward has id {definition.RewardId}.");
        }
        else if (!reward.IsActive && reward.Id != current?.RewardId)
        {
            errors.Add(Fields.RewardId, $"Reward {definition.RewardId} is inactive.");
        }

        if (CheckPreconditions(definition.Settings.PreconditionIds, current?.Id, preconditionsOf) is { } preconditionError)
        {
            errors.Add(Fields.PreconditionIds, preconditionError);
        }

        return errors.Count > 0 ? new(null, errors.ToDictionary()) : new(definition, NoErrors);
    }

    /// <summary>
    /// The preconditions <paramref name="ids"/> of quest <paramref name="self"/> (null: a new quest,
    /// which nothing can require yet) against <paramref name="preconditionsOf"/>, every stored quest's
    /// own preconditions: each named quest exists, and none requires the quest itself, directly or
    /// through others (a cycle would lock them all forever). Null when they pass, else the message.
    /// </summary>
    public static string? CheckPreconditions(IReadOnlyList<Guid> ids, Guid? self, IReadOnlyDictionary<Guid, IReadOnlyList<Guid>> preconditionsOf)
    {
        if (self is { } id && ids.Contains(id))
        {
            return "A quest cannot be its own precondition.";
        }

        if (ids.FirstOrDefault(p => !preconditionsOf.ContainsKey(p)) is var missing && missing != Guid.Empty)
        {
            return $"No quest has id {missing}.";
        }

        return self is { } quest && Reaches(ids, quest, preconditionsOf)
            ? "These preconditions would make a cycle: one of them requires this quest, directly or through others."
            : null;
    }

    // Depth first over the precondition edges from the starts, each quest once: does any path lead to the target?
    private static bool Reaches(IEnumerable<Guid> starts, Guid target, IReadOnlyDictionary<Guid, IReadOnlyList<Guid>> preconditionsOf)
    {
        var seen = new HashSet<Guid>();
        var pending = new Stack<Guid>(starts);
        while (pending.TryPop(out var next))
        {
            if (next == target)
            {
                return true;
            }

            if (seen.Add(next))
            {
                foreach (var further in preconditionsOf.GetValueOrDefault(next) ?? [])
                {
                    pending.Push(further);
                }
            }
        }

        return false;
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
