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

/// <summary>A player or an admin, with the wallet their rewards are credited to.</summary>
public sealed class User
{
    public Guid Id { get; private set; }

    public string UserName { get; private set; } = "";

    public string PasswordHash { get; set; } = "";

    public UserStatus Status { get; private set; }

    public string Role { get; private set; } = "";

    public int Gold { get; private set; }

    public int Diamond { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Postgres' row version: two writers of the same user cannot both win.</summary>
    public uint Version { get; private set; }

    public static User Create(string userName, string role, UserStatus status, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        UserName = userName,
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

    public void Ban() => Status = UserStatus.Banned;

    public void Unban() => Status = UserStatus.Active;

    public void Credit(RewardItem item, int quantity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(quantity);
        checked
        {
            if (item == RewardItem.Gold)
            {
                Gold += quantity;
            }
            else
            {
                Diamond += quantity;
            }
        }
    }
}
