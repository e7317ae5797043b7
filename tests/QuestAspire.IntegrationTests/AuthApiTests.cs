using System.Net;

namespace QuestAspire.IntegrationTests;

/// <summary>
/// Auth.Api's answers that need the whole system (a claim exists once the worker completed a quest).
/// The rest of its answers to good and bad input are in the fast tier, tests/Auth.Api.ApiTests.
/// </summary>
public sealed class AuthApiTests(AppFixture fixture) : IDisposable
{
    private readonly QuestApiClient _api = new(fixture.App);

    [Fact]
    public async Task Claim_OfAnUnknownOrSomeoneElsesClaim_Answers404()
    {
        var questId = await _api.GetQuestIdAsync("signin_three");
        var owner = QuestApiClient.NewUserName();
        await _api.SignUpAsync(owner);
        var ownerToken = "";
        for (var i = 0; i < 3; i++)
        {
            ownerToken = await _api.SignInAsync(owner);
        }

        var claim = (await QuestApiClient.EventuallyAsync(
            () => _api.GetClaimsAsync(ownerToken),
            c => c.Any(x => x.GetProperty("quest_id").GetGuid() == questId),
            "the owner's claim")).First();
        var other = QuestApiClient.NewUserName();
        await _api.SignUpAsync(other);
        var otherToken = await _api.SignInAsync(other);

        using var someoneElses = await QuestApiClient.SendAsync(_api.Auth, HttpMethod.Post, $"/users/me/claims/{claim.GetProperty("claim_id").GetGuid()}/claim", otherToken);
        using var unknown = await QuestApiClient.SendAsync(_api.Auth, HttpMethod.Post, $"/users/me/claims/{Guid.NewGuid()}/claim", otherToken);
        using var malformed = await QuestApiClient.SendAsync(_api.Auth, HttpMethod.Post, "/users/me/claims/not-a-guid/claim", otherToken);

        await QuestApiClient.EnsureStatusAsync(someoneElses, HttpStatusCode.NotFound);
        await QuestApiClient.EnsureStatusAsync(unknown, HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, malformed.StatusCode);
        Assert.Equal(0, (await _api.GetMeAsync(otherToken)).GetProperty("diamond").GetInt32());
        Assert.Equal("Pending", (await _api.GetClaimsAsync(ownerToken)).First(c => c.GetProperty("claim_id").GetGuid() == claim.GetProperty("claim_id").GetGuid()).GetProperty("status").GetString());
    }

    public void Dispose() => _api.Dispose();
}
