using System.Text.RegularExpressions;

namespace QuestAspire.Auth.Api.Model;

/// <summary>What a user name and a password must look like.</summary>
public static partial class UserRules
{
    public const int MinUserNameLength = 3;
    public const int MaxUserNameLength = 40;
    /// <summary>A sign-in's user name longer than this cannot name any account (canonical names are at most <see cref="MaxUserNameLength"/>).</summary>
    public const int MaxSignInNameLength = 64;
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 40;

    public static IEnumerable<string> ValidateUserName(string? userName)
    {
        if (string.IsNullOrWhiteSpace(userName))
        {
            yield return "A user name is required.";
        }
        else if (userName.Length is < MinUserNameLength or > MaxUserNameLength || !UserNamePattern().IsMatch(userName))
        {
            yield return $"A user name has {MinUserNameLength} to {MaxUserNameLength} characters: letters, digits, '.', '_' or '-'.";
        }
    }

    public static IEnumerable<string> ValidatePassword(string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            yield return "A password is required.";
        }
        else if (password.Length is < MinPasswordLength or > MaxPasswordLength)
        {
            yield return $"A password has {MinPasswordLength} to {MaxPasswordLength} characters.";
        }
    }

    /// <summary>A user name as it is stored: NFKC-normalized and trimmed.</summary>
    public static string Canonicalize(string userName) =>
        userName.Normalize(System.Text.NormalizationForm.FormKC).Trim();

    /// <summary>
    /// The unique key of a user name: its canonical form (NFKC, trimmed) in upper case, so that
    /// names differing only by case or by a compatibility form are one name. The migration that
    /// added the key computes the same for existing rows.
    /// </summary>
    public static string NormalizeKey(string userName) => Canonicalize(userName).ToUpperInvariant();

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex UserNamePattern();
}
