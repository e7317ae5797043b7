namespace QuestAspire.Quests.UnitTests;

public sealed class FieldErrorsTests
{
    [Fact]
    public void Add_Messages_PutsEachUnderTheField_InOrder()
    {
        var errors = new FieldErrors();

        errors.Add("password", ["too short", "no digit"]);
        errors.Add("user_name", "taken");

        Assert.Equal(["password", "user_name"], errors.ToDictionary().Keys);
        Assert.Equal(["too short", "no digit"], errors.ToDictionary()["password"]);
    }

    [Fact]
    public void Add_NoMessages_AddsNotEvenTheField()
    {
        var errors = new FieldErrors("quest.");

        errors.Add("reset", Array.Empty<string>());

        Assert.Equal(0, errors.Count);
        Assert.Empty(errors.ToDictionary());
    }
}
