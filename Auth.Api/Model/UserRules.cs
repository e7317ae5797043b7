using System.Text.RegularExpressions;
using QuestAspire.Quests;

namespace QuestAspire.Auth.Api.Model;

/// <summary>What a user name and a password must look like (the text rules of <see cref="TextRules"/>, plus these).</summary>
public static partial class UserRules
{
    public const int MinUserNameLength = 3;
    public const int MaxUserNameLength = 40;
    /// <summary>A sign-in's user name longer than this cannot name any account (canonical names are at most <see cref="MaxUserNameLength"/>).</summary>
    public const int MaxSignInNameLength = 64;
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 40;

    /// <summary>
    /// The form a user name is stored and looked up in: NFKC-normalized and trimmed, so
    /// <c>ｕｓｅｒ</c> and <c>" user"</c> are <c>user</c>. Sign-up and sign-in both use it.
    /// </summary>
    public static string Canonicalize(string userName) => TextRules.Canonicalize(userName);

    /// <summary>
    /// The unique key of a user name: its canonical form in upper case, so that names differing
    /// only by case or by a compatibility form are one name. The migration that added the key
    /// computes the same for existing rows.
    /// </summary>
    public static string NormalizeKey(string userName) => TextRules.NameKey(Canonicalize(userName));

    public static IEnumerable<string> ValidateUserName(string? userName)
    {
        var canonical = TextRules.CanonicalName(userName, "A user name");
        if (!canonical.IsValid)
        {
            yield return canonical.Error!;
        }
        else if (canonical.Value!.Length == 0)
        {
            yield return "A user name is required.";
        }
        else if (canonical.Value.Length is < MinUserNameLength or > MaxUserNameLength || !UserNamePattern().IsMatch(canonical.Value))
        {
            yield return $"A user name has {MinUserNameLength} to {MaxUserNameLength} characters: letters, digits, '.', '_' or '-'.";
        }
    }

    public static IEnumerable<string> ValidatePassword(string? password)
    {
        var checkedPassword = TextRules.Password(password, "A password");
        if (!checkedPassword.IsValid)
        {
            yield return checkedPassword.Error!;
        }
        else if (string.IsNullOrEmpty(password))
        {
            yield return "A password is required.";
        }
        else if (password.Length is < MinPasswordLength or > MaxPasswordLength)
        {
            yield return $"A password has {MinPasswordLength} to {MaxPasswordLength} characters.";
        }
    }

    // \z, not $: $ also matches before a final newline, which let "admin\n" through.
    [GeneratedRegex(@"^[A-Za-z0-9._-]+\z")]
    private static partial Regex UserNamePattern();
}
