namespace QuestAspire.IntegrationTests;

/// <summary><c>GET /api/users/{id}/quests/{quest_id}/explain</c> through the running system: the player's log replayed through the rules.</summary>
public sealed class ExplainTests(AppFixture fixture) : IDisposable
{
    private readonly QuestApiClient _api = new(fixture.App);

    [Fact]
    public async Task ReferenceScenario_NineSignIns_SixCountedThreeLimitReached()
    {
        var questId = await _api.GetQuestIdAsync("signin_three");
        var (userId, _, token) = await _api.NewPlayerSignedInAsync(signIns: 9);
        await QuestApiClient.EventuallyAsync(() => _api.GetEventsAsync(userId, token),
            events => events.Count(e => e.GetProperty("event_type").GetString() is "UserSignIn" or "NewUserSignIn") == 9, "nine sign-ins in the log");

        var explained = (await QuestApiClient.GetAsync(_api.Processing, $"/api/users/{userId}/quests/{questId}/explain", token))
            .GetProperty("events").EnumerateArray().ToList();

        Assert.Equal(9, explained.Count);
        Assert.Equal([.. Enumerable.Repeat("counted", 6), .. Enumerable.Repeat("limit reached", 3)], explained.Select(e => e.GetProperty("reason").GetString()));
        Assert.Equal([.. Enumerable.Repeat(true, 6), .. Enumerable.Repeat(false, 3)], explained.Select(e => e.GetProperty("counted").GetBoolean()));
        Assert.Equal("NewUserSignIn", explained[0].GetProperty("event_type").GetString());
        var times = explained.Select(e => e.GetProperty("occurred_at").GetDateTimeOffset()).ToList();
        Assert.Equal(times.Order(), times); // oldest first
    }

    public void Dispose() => _api.Dispose();
}
