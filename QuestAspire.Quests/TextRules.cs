using System.Globalization;
using System.Text;

namespace QuestAspire.Quests;

/// <summary>
/// The outcome of a text rule: the value to store (for a name, its canonical form) or an error
/// that names the problem, ready to go under the field's name in a validation problem.
/// </summary>
public readonly record struct CheckedText(string? Value, string? Error)
{
    public bool IsValid => Error is null;

    internal static CheckedText Valid(string value) => new(value, null);

    internal static CheckedText Invalid(string error) => new(null, error);
}

/// <summary>
/// The one set of rules for text that reaches a QuestAspire service, pure and without I/O.
/// <list type="bullet">
/// <item>Names (user names, quest and reward names) are NFKC-normalized and trimmed, and refused
/// when they contain a control character (NUL, CR, LF, tab…), an invisible formatting character
/// (zero-width space and joiners, word joiner, BOM), a bidirectional override or isolate, a line or
/// paragraph separator, or a lone surrogate. Two names are the same name when their
/// <see cref="NameKey"/>s are equal.</item>
/// <item>Descriptions may hold any text, newlines and tabs included, but never NUL or a lone surrogate.</item>
/// <item>Passwords may be any Unicode text except NUL (and a lone surrogate, which has no UTF-8
/// form: it could not be hashed the same way twice).</item>
/// </list>
/// Length and character-set rules specific to a field stay with the service; patterns are
/// anchored with <c>\z</c>, never <c>$</c> (which also matches before a final newline).
/// </summary>
public static class TextRules
{
    /// <summary>
    /// Checks <paramref name="input"/> as a name and returns its canonical form (NFKC, trimmed):
    /// what is stored and shown. Null or blank gives an empty canonical form; whether that is
    /// allowed is the caller's rule. <paramref name="subject"/> starts the error message ("name").
    /// </summary>
    public static CheckedText CanonicalName(string? input, string subject)
    {
        if (string.IsNullOrEmpty(input))
        {
            return CheckedText.Valid("");
        }

        // Checked before normalizing: NFKC throws on a lone surrogate, and what was sent is what is refused.
        if (FindForbiddenInName(input) is { } problem)
        {
            return CheckedText.Invalid($"{subject} must not contain {problem}.");
        }

        var canonical = input.Normalize(NormalizationForm.FormKC).Trim();
        // Compatibility mappings never produce these, but the stored form is what must be clean.
        return FindForbiddenInName(canonical) is { } after
            ? CheckedText.Invalid($"{subject} must not contain {after}.")
            : CheckedText.Valid(canonical);
    }

    /// <summary>
    /// The canonical form of a name for a lookup (a sign-in): NFKC and trimmed. Text that is not
    /// valid UTF-16 is returned as it is (it matches no stored name).
    /// </summary>
    public static string Canonicalize(string input) =>
        FindLoneSurrogate(input) is null ? input.Normalize(NormalizationForm.FormKC).Trim() : input;

    /// <summary>
    /// The case-insensitive key of a canonical name, for a unique index: <c>USER</c> and
    /// <c>user</c> have the same key.
    /// </summary>
    public static string NameKey(string canonicalName) => canonicalName.ToUpperInvariant();

    /// <summary>Checks a description: stored exactly as sent, newlines and tabs included, but never NUL or a lone surrogate.</summary>
    public static CheckedText Description(string? input, string subject) => FreeText(input, subject);

    /// <summary>Checks a password: any Unicode text except NUL (and a lone surrogate).</summary>
    public static CheckedText Password(string? input, string subject) => FreeText(input, subject);

    /// <summary>
    /// Why <paramref name="input"/> cannot be text at all (NUL, a lone surrogate), or null. For
    /// fields that are only looked up (a sign-in), to refuse before any database or hash work.
    /// </summary>
    public static string? FindUnstorable(string input, string subject)
    {
        if (input.Contains('\0', StringComparison.Ordinal))
        {
            return $"{subject} must not contain a NUL character (U+0000).";
        }

        return FindLoneSurrogate(input) is { } at
            ? $"{subject} must not contain a lone surrogate (U+{(int)input[at]:X4} at position {at}): it is not valid Unicode text."
            : null;
    }

    private static CheckedText FreeText(string? input, string subject)
    {
        if (input is null)
        {
            return CheckedText.Valid("");
        }

        return FindUnstorable(input, subject) is { } error ? CheckedText.Invalid(error) : CheckedText.Valid(input);
    }

    // Describes the first character a name must not contain, or null.
    private static string? FindForbiddenInName(string text)
    {
        if (FindLoneSurrogate(text) is { } at)
        {
            return $"a lone surrogate (U+{(int)text[at]:X4} at position {at}); it is not valid Unicode text";
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var what = c switch
            {
                '\0' => "a NUL character",
                '\r' or '\n' => "a line break",
                '\t' => "a tab",
                '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF' => "a zero-width character",
                >= '\u202A' and <= '\u202E' => "a bidirectional override",
                >= '\u2066' and <= '\u2069' => "a bidirectional isolate",
                _ => char.GetUnicodeCategory(c) switch
                {
                    UnicodeCategory.Control => "a control character",
                    UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => "a line break",
                    // Soft hyphen, left-to-right marks, invisible operators, tags: invisible, so look-alikes.
                    UnicodeCategory.Format => "an invisible formatting character",
                    _ => null,
                },
            };
            if (what is not null)
            {
                return $"{what} (U+{(int)c:X4} at position {i})";
            }
        }

        return null;
    }

    // The index of the first surrogate without its pair, or null.
    private static int? FindLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return i;
            }
        }

        return null;
    }
}
