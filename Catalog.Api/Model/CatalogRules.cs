using QuestAspire.ServiceDefaults.Api;
using QuestAspire.ServiceDefaults.Quests;

namespace QuestAspire.Catalog.Api.Model;

/// <summary>A quest as an admin defines it, after <see cref="CatalogRules.ValidateQuest"/>.</summary>
public sealed record QuestDefinition(string Name, string Description, int Streak, int Duplication, bool AutoClaim, Guid RewardId)
{
    public QuestSettings Settings { get; init; } = QuestSettings.Default;
}

/// <summary>
/// What a quest counts and when (all optional on the wire; the defaults are the seed quest's
/// kind): <see cref="EventType"/> events (<c>sign_in</c> is both kinds of sign-in), one per event
/// or one per calendar day in a row (<see cref="Kind"/>, with <see cref="Freezes"/> missed days
/// forgiven), restarting at each <see cref="Reset"/>, inside [<see cref="StartsAt"/>,
/// <see cref="EndsAt"/>), once <see cref="PreconditionIds"/> are completed, adding 1 or the event's
/// value (<see cref="ValueMode"/>).
/// </summary>
public sealed record QuestSettings(
    string EventType, string Kind, int Freezes, string? Reset, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, IReadOnlyList<Guid> PreconditionIds, string ValueMode)
{
    public const string SignIn = "sign_in";
    public const string CountKind = "count";
    public const string DailyStreakKind = "daily_streak";
    public const string CountMode = "count";
    public const string SumMode = "sum";

    public static QuestSettings Default { get; } = new(SignIn, CountKind, 0, null, null, null, [], CountMode);
}

/// <summary>The new quest fields as sent; null is "the default".</summary>
public sealed record QuestSettingsInput(
    string? EventType, string? Kind, int? Freezes, string? Reset, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, IReadOnlyList<Guid>? PreconditionIds, string? ValueMode);

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

    // Upper bounds keep counters and wallet credits far from overflow in the other services.
    // One quest pays at most MaxQty × MaxDuplication = 10^6 × 10^4 = 10^10 to a player over its
    // life: past int.MaxValue (about 2.1 × 10^9), which is why wallets and any sum of qty are
    // 64-bit (long), and far inside long.MaxValue (about 9.2 × 10^18): it would take more than
    // 900 million such quests, each completed to its limit, to overflow one wallet. A single
    // qty (at most 10^6) still fits an int, so events carry it as one.
    public const int MaxStreak = 10_000;
    public const int MaxDuplication = 10_000;
    public const int MaxQty = 1_000_000;

    /// <summary>A quest that sums values may aim higher than one that counts events.</summary>
    public const int MaxSumTarget = 1_000_000_000;
    public const int MaxFreezes = 365;
    public const int MaxPreconditions = 10;
    public const int MaxEventTypeLength = 64;

    /// <summary>The most one quest can ever pay one player: 10^10, a long (see above).</summary>
    public const long MaxPayoutPerQuest = (long)MaxQty * MaxDuplication;

    private static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

    /// <summary>The public field names errors are reported under.</summary>
    public static class Fields
    {
        public const string Name = "name";
        public const string Description = "description";
        public const string Streak = "streak";
        public const string Duplication = "duplication";
        public const string AutoClaim = "auto_claim";
        public const string RewardId = "reward_id";
        public const string Item = "item";
        public const string Qty = "qty";
        public const string EventType = "event_type";
        public const string Kind = "kind";
        public const string Freezes = "freezes";
        public const string Reset = "reset";
        public const string StartsAt = "starts_at";
        public const string EndsAt = "ends_at";
        public const string PreconditionIds = "precondition_ids";
        public const string ValueMode = "value_mode";
    }

    public static Validated<QuestDefinition> ValidateQuest(
        string? name, string? description, int? streak, int? duplication, bool? autoClaim, Guid? rewardId, QuestSettingsInput? input = null)
    {
        var errors = new Errors();
        var settings = CheckSettings(input, errors);
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

        CheckCount(streak, Fields.Streak, settings.ValueMode == QuestSettings.SumMode ? MaxSumTarget : MaxStreak, errors);
        CheckCount(duplication, Fields.Duplication, MaxDuplication, errors);

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

    // Each field alone, then the combinations that make no sense. Errors name the field to change.
    private static QuestSettings CheckSettings(QuestSettingsInput? input, Errors errors)
    {
        if (input is null)
        {
            return QuestSettings.Default;
        }

        var eventType = input.EventType ?? QuestSettings.SignIn;
        if (!IsEventType(eventType))
        {
            errors.Add(Fields.EventType, $"event_type must be lower-case letters, digits and underscores, starting with a letter, at most {MaxEventTypeLength} characters (\"sign_in\" counts sign-ins).");
        }

        var kind = input.Kind ?? QuestSettings.CountKind;
        if (kind is not (QuestSettings.CountKind or QuestSettings.DailyStreakKind))
        {
            errors.Add(Fields.Kind, "kind must be \"count\" or \"daily_streak\".");
        }

        var freezes = input.Freezes ?? 0;
        if (freezes is < 0 or > MaxFreezes)
        {
            errors.Add(Fields.Freezes, $"freezes must be from 0 to {MaxFreezes}.");
        }
        else if (freezes > 0 && kind != QuestSettings.DailyStreakKind)
        {
            errors.Add(Fields.Freezes, "freezes apply to daily_streak quests only.");
        }

        if (QuestSchedule.TryParse(input.Reset, out var resetError) is null)
        {
            errors.Add(Fields.Reset, resetError!);
        }

        if (input.StartsAt is { } starts && input.EndsAt is { } ends && ends <= starts)
        {
            errors.Add(Fields.EndsAt, "ends_at must be after starts_at.");
        }

        var preconditions = input.PreconditionIds ?? [];
        if (preconditions.Count > MaxPreconditions)
        {
            errors.Add(Fields.PreconditionIds, $"precondition_ids may name at most {MaxPreconditions} quests.");
        }
        else if (preconditions.Contains(Guid.Empty))
        {
            errors.Add(Fields.PreconditionIds, "precondition_ids must not contain the empty uuid.");
        }
        else if (preconditions.Distinct().Count() != preconditions.Count)
        {
            errors.Add(Fields.PreconditionIds, "precondition_ids names a quest twice.");
        }

        var valueMode = input.ValueMode ?? QuestSettings.CountMode;
        if (valueMode is not (QuestSettings.CountMode or QuestSettings.SumMode))
        {
            errors.Add(Fields.ValueMode, "value_mode must be \"count\" or \"sum\".");
        }
        else if (valueMode == QuestSettings.SumMode && kind == QuestSettings.DailyStreakKind)
        {
            errors.Add(Fields.ValueMode, "A daily_streak counts days, not values: value_mode must be \"count\".");
        }

        return new(eventType, kind, freezes, input.Reset, input.StartsAt?.ToUniversalTime(), input.EndsAt?.ToUniversalTime(), [.. preconditions], valueMode);
    }

    private static bool IsEventType(string value) =>
        value.Length is > 0 and <= MaxEventTypeLength
        && value[0] is >= 'a' and <= 'z'
        && value.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_');

    public static Validated<RewardDefinition> ValidateReward(string? name, string? item, int? qty)
    {
        var errors = new Errors();
        var checkedName = CheckName(name, errors);

        RewardItem? checkedItem = item switch
        {
            "gold" => RewardItem.Gold,
            "diamond" => RewardItem.Diamond,
            _ => null,
        };
        if (item is null)
        {
            errors.Add(Fields.Item, "item is required (gold or diamond).");
        }
        else if (checkedItem is null)
        {
            errors.Add(Fields.Item, "item must be gold or diamond.");
        }

        CheckCount(qty, Fields.Qty, MaxQty, errors);

        return errors.Count > 0
            ? new(null, errors.ToDictionary())
            : new(new(checkedName!, checkedItem!.Value, qty!.Value), NoErrors);
    }

    // NFKC-normalized and trimmed (the form stored and shown), no invisible or control characters.
    private static string? CheckName(string? name, Errors errors)
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

    private static void CheckCount(int? value, string field, int max, Errors errors)
    {
        if (value is null)
        {
            errors.Add(field, $"{field} is required.");
        }
        else if (value < 1)
        {
            errors.Add(field, $"{field} must be at least 1.");
        }
        else if (value > max)
        {
            errors.Add(field, $"{field} must be at most {max}.");
        }
    }

    private sealed class Errors
    {
        private readonly Dictionary<string, List<string>> _errors = [];

        public int Count => _errors.Count;

        public void Add(string field, string message)
        {
            if (!_errors.TryGetValue(field, out var messages))
            {
                _errors[field] = messages = [];
            }

            messages.Add(message);
        }

        public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
    }
}
