using System.Globalization;
using QuestAspire.Quests;

namespace QuestAspire.Auth.Api.Model;

/// <summary>The rules of a wallet write's fields, pure: each error goes under its field's name.</summary>
public static class WalletRules
{
    public const int MaxReasonLength = 200;

    /// <summary>"gold" or "diamond", as the API spells them.</summary>
    public static RewardItem? ParseItem(string? item) => item switch
    {
        "gold" => RewardItem.Gold,
        "diamond" => RewardItem.Diamond,
        _ => null,
    };

    public static string ItemName(RewardItem item) => item == RewardItem.Gold ? "gold" : "diamond";

    /// <summary>A source as the API spells it ("admin_adjustment").</summary>
    public static string SourceName(LedgerSource source) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(source.ToString());

    /// <summary>Adds an error for <c>item</c> unless it names an item; returns the item.</summary>
    public static RewardItem? CheckItem(string? item, FieldErrors errors)
    {
        var parsed = ParseItem(item);
        if (parsed is null)
        {
            errors.Add("item", "item must be \"gold\" or \"diamond\".");
        }

        return parsed;
    }

    /// <summary>A reason is required: it is what the ledger shows. Trimmed, at most <see cref="MaxReasonLength"/> characters, no control characters.</summary>
    public static string? CheckReason(string? reason, FieldErrors errors)
    {
        var text = TextRules.CanonicalName(reason, "reason");
        if (!text.IsValid)
        {
            errors.Add("reason", text.Error!);
            return null;
        }

        if (text.Value!.Length == 0)
        {
            errors.Add("reason", "reason is required: say what the change is for (a purchase, an unlock, a correction).");
            return null;
        }

        if (text.Value.Length > MaxReasonLength)
        {
            errors.Add("reason", $"reason must be at most {MaxReasonLength} characters.");
            return null;
        }

        return text.Value;
    }

    /// <summary>
    /// The version an <c>If-Match</c> header names: null when there is none or it is <c>*</c>
    /// (any version), -1 when it is not one of ours (no wallet has it, so the write answers 412).
    /// </summary>
    public static long? ExpectedVersion(string? ifMatch)
    {
        if (string.IsNullOrWhiteSpace(ifMatch) || ifMatch.Trim() == "*")
        {
            return null;
        }

        var tag = ifMatch.Trim();
        if (tag.StartsWith("W/", StringComparison.Ordinal))
        {
            tag = tag[2..];
        }

        return tag.Length > 2 && tag[0] == '"' && tag[^1] == '"'
            && long.TryParse(tag[1..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : -1;
    }

    /// <summary>The strong entity tag of a wallet version.</summary>
    public static string ETag(long version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";
}
