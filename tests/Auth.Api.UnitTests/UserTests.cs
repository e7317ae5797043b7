namespace QuestAspire.Auth.Api.UnitTests;

public sealed class UserTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(UserStatus.New)]
    [InlineData(UserStatus.Active)]
    public void Unban_RestoresTheStatusBeforeTheBan(UserStatus before)
    {
        var user = User.Create("player", "player", before, Now);

        Assert.True(user.Ban());
        Assert.Equal(UserStatus.Banned, user.Status);
        Assert.False(user.Ban());
        Assert.True(user.Unban());

        Assert.Equal(before, user.Status);
        Assert.Null(user.StatusBeforeBan);
    }

    [Fact]
    public void UnbanOfAPlayerNotBanned_ChangesNothing()
    {
        var user = User.Create("player", "player", UserStatus.New, Now);
        var stamp = user.SecurityStamp;

        Assert.False(user.Unban());

        Assert.Equal(UserStatus.New, user.Status);
        Assert.Equal(stamp, user.SecurityStamp);
    }

    [Fact]
    public void BanUnbanAndPasswordChange_EachRotateTheStamp()
    {
        var user = User.Create("player", "player", UserStatus.Active, Now);
        var stamps = new HashSet<string> { user.SecurityStamp };

        user.Ban();
        Assert.True(stamps.Add(user.SecurityStamp));
        user.Unban();
        Assert.True(stamps.Add(user.SecurityStamp));
        user.ChangePassword("new-hash");
        Assert.True(stamps.Add(user.SecurityStamp));
        Assert.All(stamps, s => Assert.Equal(32, s.Length));
    }

    [Theory]
    [InlineData("Player", "PLAYER")]
    [InlineData("  player  ", "PLAYER")]
    [InlineData("ｐｌａｙｅｒ", "PLAYER")] // full-width letters are one name with their plain forms (NFKC)
    public void NormalizeKey_MakesLookAlikesOneName(string name, string key) =>
        Assert.Equal(key, UserRules.NormalizeKey(name));
}
