namespace QuestAspire.Auth.Api.Model;

/// <summary>
/// A user renamed when names became unique regardless of case: the later of two look-alike names
/// got a suffix. Written by the migration; Auth logs each one once at start.
/// </summary>
public sealed class UserNameRename
{
    public Guid UserId { get; set; }

    public string OldName { get; set; } = "";

    public string NewName { get; set; } = "";

    public DateTimeOffset RenamedAt { get; set; }

    public bool Logged { get; set; }
}
