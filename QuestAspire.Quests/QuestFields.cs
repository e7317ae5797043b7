namespace QuestAspire.Quests;

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

    /// <summary>The same settings as a request would send them, every one given.</summary>
    public QuestSettingsInput AsInput() => new(EventType, Kind, Freezes, Reset, StartsAt, EndsAt, PreconditionIds, ValueMode);
}

/// <summary>The quest fields beyond the count as sent; null is "the default".</summary>
public sealed record QuestSettingsInput(
    string? EventType, string? Kind, int? Freezes, string? Reset, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, IReadOnlyList<Guid>? PreconditionIds, string? ValueMode);

/// <summary>Field errors keyed by the public (snake_case) field name, each under an optional prefix (<c>quest.</c>), ready for a validation problem.</summary>
public sealed class FieldErrors(string prefix = "")
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public int Count => _errors.Count;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(prefix + field, out var messages))
        {
            _errors[prefix + field] = messages = [];
        }

        messages.Add(message);
    }

    /// <summary>Each of the messages under the field; none adds nothing (not even the field).</summary>
    public void Add(string field, IEnumerable<string> messages)
    {
        foreach (var message in messages)
        {
            Add(field, message);
        }
    }

    public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
}

/// <summary>
/// The rules of the fields that decide what a quest counts and pays, shared by Catalog.Api (which
/// stores quests) and Processing.Worker (which backtests drafts of them), so a draft is judged
/// exactly as the catalog would judge it.
/// </summary>
public static class QuestFields
{
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

    /// <summary>The items a reward can pay.</summary>
    public const string Gold = "gold";
    public const string Diamond = "diamond";

    /// <summary>The public field names errors are reported under.</summary>
    public static class Names
    {
        public const string Streak = "streak";
        public const string Duplication = "duplication";
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

    /// <summary>The target and the limit: both required, at least 1; a sum may aim higher.</summary>
    public static void CheckCounts(int? streak, int? duplication, QuestSettings settings, FieldErrors errors)
    {
        CheckCount(streak, Names.Streak, settings.ValueMode == QuestSettings.SumMode ? MaxSumTarget : MaxStreak, errors);
        CheckCount(duplication, Names.Duplication, MaxDuplication, errors);
    }

    /// <summary>A reward's item (gold or diamond) and quantity; the item as given when it is one of them.</summary>
    public static string? CheckReward(string? item, int? qty, FieldErrors errors)
    {
        if (item is null)
        {
            errors.Add(Names.Item, "item is required (gold or diamond).");
        }
        else if (item is not (Gold or Diamond))
        {
            errors.Add(Names.Item, "item must be gold or diamond.");
        }

        CheckCount(qty, Names.Qty, MaxQty, errors);
        return item is Gold or Diamond ? item : null;
    }

    /// <summary>Each field alone, then the combinations that make no sense. Errors name the field to change.</summary>
    public static QuestSettings CheckSettings(QuestSettingsInput? input, FieldErrors errors)
    {
        if (input is null)
        {
            return QuestSettings.Default;
        }

        var eventType = input.EventType ?? QuestSettings.SignIn;
        if (!IsEventType(eventType))
        {
            errors.Add(Names.EventType, $"event_type must be lower-case letters, digits and underscores, starting with a letter, at most {MaxEventTypeLength} characters (\"sign_in\" counts sign-ins).");
        }

        var kind = input.Kind ?? QuestSettings.CountKind;
        if (kind is not (QuestSettings.CountKind or QuestSettings.DailyStreakKind))
        {
            errors.Add(Names.Kind, "kind must be \"count\" or \"daily_streak\".");
        }

        var freezes = input.Freezes ?? 0;
        if (freezes is < 0 or > MaxFreezes)
        {
            errors.Add(Names.Freezes, $"freezes must be from 0 to {MaxFreezes}.");
        }
        else if (freezes > 0 && kind != QuestSettings.DailyStreakKind)
        {
            errors.Add(Names.Freezes, "freezes apply to daily_streak quests only.");
        }

        if (QuestSchedule.TryParse(input.Reset, out var resetError) is null)
        {
            errors.Add(Names.Reset, resetError!);
        }

        if (input.StartsAt is { } starts && input.EndsAt is { } ends && ends <= starts)
        {
            errors.Add(Names.EndsAt, "ends_at must be after starts_at.");
        }

        var preconditions = input.PreconditionIds ?? [];
        if (preconditions.Count > MaxPreconditions)
        {
            errors.Add(Names.PreconditionIds, $"precondition_ids may name at most {MaxPreconditions} quests.");
        }
        else if (preconditions.Contains(Guid.Empty))
        {
            errors.Add(Names.PreconditionIds, "precondition_ids must not contain the empty uuid.");
        }
        else if (preconditions.Distinct().Count() != preconditions.Count)
        {
            errors.Add(Names.PreconditionIds, "precondition_ids names a quest twice.");
        }

        var valueMode = input.ValueMode ?? QuestSettings.CountMode;
        if (valueMode is not (QuestSettings.CountMode or QuestSettings.SumMode))
        {
            errors.Add(Names.ValueMode, "value_mode must be \"count\" or \"sum\".");
        }
        else if (valueMode == QuestSettings.SumMode && kind == QuestSettings.DailyStreakKind)
        {
            errors.Add(Names.ValueMode, "A daily_streak counts days, not values: value_mode must be \"count\".");
        }

        return new(eventType, kind, freezes, input.Reset, input.StartsAt?.ToUniversalTime(), input.EndsAt?.ToUniversalTime(), [.. preconditions], valueMode);
    }

    public static void CheckCount(int? value, string field, int max, FieldErrors errors)
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

    private static bool IsEventType(string value) =>
        value.Length is > 0 and <= MaxEventTypeLength
        && value[0] is >= 'a' and <= 'z'
        && value.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_');
}
