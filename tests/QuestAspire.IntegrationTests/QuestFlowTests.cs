using System.Net;
using System.Text.Json;

namespace QuestAspire.IntegrationTests;

/// <summary>The whole flow through the running AppHost: sign-in → progress → QuestCompleted → claim → wallet.</summary>
public sealed class QuestFlowTests(AppFixture fixture) : IDisposable
{
    private const string SeededQuest = "signin_three";
    private readonly QuestApiClient _api = new(fixture.App);

    [Fact]
    public async Task ReferenceScenario_ThreeSixNineSignIns_GiveOneTwoTwoCompletions_AndTwoPendingClaims()
    {
        var questId = await _api.GetQuestIdAsync(SeededQuest);
        var userName = QuestApiClient.NewUserName();
        var userId = await _api.SignUpAsync(userName);

        var token = "";
        foreach (var (signIns, completions) in new[] { (3, 1), (6, 2), (9, 2) })
        {
            for (var i = 0; i < 3; i++)
            {
                token = await _api.SignInAsync(userName);
            }

            var log = await QuestApiClient.EventuallyAsync(
                () => _api.GetEventsAsync(userId, token),
                events => events.Count(IsSignIn) == signIns && CompletionsOf(events, questId) == completions,
                $"{signIns} sign-ins and {completions} completions of {SeededQuest} in the event log");
            Assert.Equal(signIns, log.Count(IsSignIn));
            Assert.Equal(completions, CompletionsOf(log, questId));
        }

        var finalLog = await _api.GetEventsAsync(userId, token);
        Assert.Single(finalLog, e => e.GetProperty("event_type").GetString() == "NewUserSignIn");
        Assert.Equal(8, finalLog.Count(e => e.GetProperty("event_type").GetString() == "UserSignIn"));

        var claims = await QuestApiClient.EventuallyAsync(
            () => _api.GetClaimsAsync(token),
            c => c.Count(claim => claim.GetProperty("quest_id").GetGuid() == questId) == 2,
            "two claims for the seeded quest");
        var seeded = claims.Where(c => c.GetProperty("quest_id").GetGuid() == questId).ToArray();
        Assert.All(seeded, c => Assert.Equal("Pending", c.GetProperty("status").GetString()));
        Assert.All(seeded, c => Assert.Equal("diamond", c.GetProperty("reward_item").GetString()));
        Assert.All(seeded, c => Assert.Equal(10, c.GetProperty("reward_qty").GetInt32()));

        var diamondsBefore = (await _api.GetMeAsync(token)).GetProperty("diamond").GetInt32();
        foreach (var claim in seeded)
        {
            using var response = await QuestApiClient.SendAsync(_api.Auth, HttpMethod.Post, $"/users/me/claims/{claim.GetProperty("claim_id").GetGuid()}/claim", token);
            await QuestApiClient.EnsureStatusAsync(response, HttpStatusCode.OK);
        }

        Assert.Equal(diamondsBefore + 20, (await _api.GetMeAsync(token)).GetProperty("diamond").GetInt32());

        // Claiming again changes nothing.
        using (var again = await QuestApiClient.SendAsync(_api.Auth, HttpMethod.Post, $"/users/me/claims/{seeded[0].GetProperty("claim_id").GetGuid()}/claim", token))
        {
            await QuestApiClient.EnsureStatusAsync(again, HttpStatusCode.Conflict);
        }

        Assert.Equal(diamondsBefore + 20, (await _api.GetMeAsync(token)).GetProperty("diamond").GetInt32());
    }

    [Fact]
    public async Task Claim_DoubleClickedConcurrently_CreditsTheWalletOnce()
    {
        var questId = await _api.GetQuestIdAsync(SeededQuest);
        var (_, _, token) = await _api.NewPlayerSignedInAsync(signIns: 3);

        var claim = (await QuestApiClient.EventuallyAsync(
            () => _api.GetClaimsAsync(token),
            c => c.Any(x => x.GetProperty("quest_id").GetGuid() == questId),
            "a pending claim")).First(x => x.GetProperty("quest_id").GetGuid() == questId);
        var claimPath = $"/users/me/claims/{claim.GetProperty("claim_id").GetGuid()}/claim";

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => QuestApiClient.SendAsync(_api.Auth, HttpMethod.Post, claimPath, token)));
        var statuses = responses.Select(r => r.StatusCode).ToArray();
        foreach (var response in responses)
        {
            response.Dispose();
        }

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(7, statuses.Count(s => s == HttpStatusCode.Conflict));
        Assert.Equal(10, (await _api.GetMeAsync(token)).GetProperty("diamond").GetInt32());
    }

    private static bool IsSignIn(JsonElement e) => e.GetProperty("event_type").GetString() is "NewUserSignIn" or "UserSignIn";

    private static int CompletionsOf(JsonElement[] events, Guid questId) =>
        events.Count(e => e.GetProperty("event_type").GetString() == "QuestCompleted"
            && e.GetProperty("data").GetProperty("quest_id").GetGuid() == questId);

    public void Dispose() => _api.Dispose();
}
