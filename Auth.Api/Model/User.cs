namespace QuestAspire.Auth.Api.Model;

public enum UserStatus
{
    New,
    Active,
    Banned,
}

public enum RewardItem
{
    [System.Text.Json.Serialization.JsonStringEnumMemberName("gold")]
    Gold,

    [System.Text.Json.Serialization.JsonStringEnumMemberName("diamond")]
    Diamond,
}

/// <summary>A player or an admin, with the wallet their rewards are credited to (its balances change only through the ledger).</summary>
public sealed class User
{
    public Guid Id { get; private set; }

    /// <summary>The name as the player wrote it, canonical (NFKC, trimmed).</summary>
    public string UserName { get; private set; } = "";

    /// <summary>The unique key of <see cref="UserName"/>: names differing only by case are one name.</summary>
    public string NormalizedUserName { get; private set; } = "";

    public string PasswordHash { get; set; } = "";

    public UserStatus Status { get; private set; }

    /// <summary>What <see cref="Status"/> was before a ban, so an unban restores it (a banned new player is new again).</summary>
    public UserStatus? StatusBeforeBan { get; private set; }

    /// <summary>
    /// Changes whenever the account's tokens must stop working (ban, unban, password change):
    /// every token carries the stamp it was issued with, and a token with an old stamp is refused.
    /// </summary>
    public string SecurityStamp { get; private set; } = "";

    public string Role { get; private set; } = "";

    public long Gold { get; private set; }

    public long Diamond { get; private set; }

    /// <summary>Counts the wallet's ledger entries: the <c>ETag</c> of <c>GET /users/me/wallet</c>. Only <see cref="Infrastructure.WalletLedger"/> changes the balances and it.</summary>
    public long WalletVersion { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The player's IANA time zone (tzdb spelling): daily and weekly quests and day streaks count in it.</summary>
    public string TimeZone { get; private set; } = DefaultTimeZone;

    public const string DefaultTimeZone = "UTC";

    /// <summary>Postgres' row version: two writers of the same user cannot both win.</summary>
    public uint Version { get; private set; }

    public static User Create(string userName, string role, UserStatus status, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        UserName = userName,
        NormalizedUserName = UserRules.NormalizeKey(userName),
        SecurityStamp = NewSecurityStamp(),
        Role = role,
        Status = status,
        CreatedAt = now,
    };

    public bool IsBanned => Status == UserStatus.Banned;

    /// <summary>
    /// Records a sign-in: the first one ever makes a new user active and is reported as
    /// <c>NewUserSignIn</c>, every later one as <c>UserSignIn</c>.
    /// </summary>
    public bool RecordSignIn()
    {
        if (IsBanned)
        {
            throw new InvalidOperationException("A banned user cannot sign in.");
        }

        var first = Status == UserStatus.New;
        Status = UserStatus.Active;
        return first;
    }

    /// <summary>Bans the player and ends their tokens; banning a banned player changes nothing.</summary>
    public bool Ban()
    {
        if (IsBanned)
        {
            return false;
        }

        StatusBeforeBan = Status;
        Status = UserStatus.Banned;
        RotateSecurityStamp();
        return true;
    }

    /// <summary>Restores the status the player had before the ban; unbanning a player who is not banned changes nothing.</summary>
    public bool Unban()
    {
        if (!IsBanned)
        {
            return false;
        }

        Status = StatusBeforeBan ?? UserStatus.Active;
        StatusBeforeBan = null;
        RotateSecurityStamp();
        return true;
    }

    /// <summary>A new password, and the end of every token issued with the old one.</summary>
    public void ChangePassword(string passwordHash)
    {
        PasswordHash = passwordHash;
        RotateSecurityStamp();
    }

    /// <summary>Sets the player's zone (an id <see cref="ServiceDefaults.Quests.QuestSchedule.CanonicalZoneId"/> accepted); false when it is the zone held.</summary>
    public bool ChangeTimeZone(string timeZone)
    {
        if (TimeZone == timeZone)
        {
            return false;
        }

        TimeZone = timeZone;
        return true;
    }

    public void RotateSecurityStamp() => SecurityStamp = NewSecurityStamp();

    private static string NewSecurityStamp() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
}
