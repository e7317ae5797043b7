using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace QuestAspire.IntegrationTests;

/// <summary>
/// Catalog changes reach every consumer as events, within moments: a quest counts for the very
/// next sign-in after its 201, stops counting after its deactivation, and a completion pays what
/// the reward was when it happened.
/// </summary>
public sealed class CatalogEventFlowTests(AppFixture fixture) : IDisposable
{
    // Milliseconds in practice (the diagnostic message says how long); the bound leaves room for a busy CI machine.
    private static readonly TimeSpan CatalogPropagation = TimeSpan.FromSeconds(5);
    private readonly QuestApiClient _api = new(fixture.App);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task QuestCreatedByAdmin_CountsForTheNextSignIn_AndStopsCountingOnceDeactivated()
    {
        var admin = await _api.SignInAsync("admin", TestAppHost.AdminPassword);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var reward = await QuestApiClient.CreateAsync(_api.Catalog, "/api/rewards", admin, new { name = $"gold-{suffix}", item = "gold", qty = 5 });
        var quest = await QuestApiClient.CreateAsync(_api.Catalog, "/api/quests", admin, new
        {
            name = $"auto-{suffix}", description = "Sign in once", streak = 1, duplication = 10, auto_claim = true,
            reward_id = reward.GetProperty("reward_id").GetGuid(),
        });
        var questId = quest.GetProperty("quest_id").GetGuid();
        try
        {
            // Moments after the 201 every worker replica has the quest (the catalog event, not a poll).
            var took = await CatalogCopies.WaitForCatalogCopyAsync(fixture.App, ResourceNames.ProcessingWorker, 2, quest.GetProperty("version").GetInt64(), CatalogPropagation);
            TestContext.Current.SendDiagnosticMessage($"both worker replicas had the new quest {took.TotalMilliseconds:F0} ms after its 201");

            var (userId, _, token) = await _api.NewPlayerSignedInAsync(signIns: 1);
            var me = await QuestApiClient.EventuallyAsync(() => _api.GetMeAsync(token), m => m.GetProperty("gold").GetInt32() >= 5,
                "the auto-claimed gold of the first sign-in after the quest was created");
            Assert.Equal(5, me.GetProperty("gold").GetInt32());
            var auto = Assert.Single(await _api.GetClaimsAsync(token), c => c.GetProperty("quest_id").GetGuid() == questId);
            Assert.Equal("Claimed", auto.GetProperty("status").GetString());

            using (var deactivate = await QuestApiClient.SendAsync(_api.Catalog, HttpMethod.Post, $"/api/quests/{questId}/deactivate", admin))
            {
                await QuestApiClient.EnsureStatusAsync(deactivate, HttpStatusCode.OK);
                var deactivated = await deactivate.Content.ReadFromJsonAsync<JsonElement>(Ct);
                await CatalogCopies.WaitForCatalogCopyAsync(fixture.App, ResourceNames.ProcessingWorker, 2, deactivated.GetProperty("version").GetInt64(), CatalogPropagation);
            }

            var userName = (await _api.GetMeAsync(token)).GetProperty("user_name").GetString()!;
            token = await _api.SignInAsync(userName);
            // Once the second sign-in is in the log, its effects are decided (they commit together).
            var log = await QuestApiClient.EventuallyAsync(() => _api.GetEventsAsync(userId, token),
                events => events.Count(e => e.GetProperty("event_type").GetString() is "NewUserSignIn" or "UserSignIn") == 2,
                "the sign-in after the deactivation, logged");
            Assert.Single(log, e => e.GetProperty("event_type").GetString() == "QuestCompleted" && e.GetProperty("data").GetProperty("quest_id").GetGuid() == questId);
            Assert.Equal(5, (await _api.GetMeAsync(token)).GetProperty("gold").GetInt32());
        }
        finally
        {
            using var deactivated = await QuestApiClient.SendAsync(_api.Catalog, HttpMethod.Post, $"/api/quests/{questId}/deactivate", admin);
        }
    }

    [Fact]
    public async Task RewardEditedBetweenCompletionAndClaim_PaysWhatItWasAtCompletion()
    {
        var admin = await _api.SignInAsync("admin", TestAppHost.AdminPassword);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var reward = await QuestApiClient.CreateAsync(_api.Catalog, "/api/rewards", admin, new { name = $"gold-{suffix}", item = "gold", qty = 5 });
        var rewardId = reward.GetProperty("reward_id").GetGuid();
        var quest = await QuestApiClient.CreateAsync(_api.Catalog, "/api/quests", admin, new
        {
            name = $"by-hand-{suffix}", description = "Sign in once, claim by hand", streak = 1, duplication = 10, auto_claim = false, reward_id = rewardId,
        });
        var questId = quest.GetProperty("quest_id").GetGuid();
        try
        {
            await CatalogCopies.WaitForCatalogCopyAsync(fixture.App, ResourceNames.ProcessingWorker, 2, quest.GetProperty("version").GetInt64(), TimeSpan.FromSeconds(10));
            var (_, userName, token) = await _api.NewPlayerSignedInAsync(signIns: 1);
            var pending = await QuestApiClient.EventuallyAsync(() => _api.GetClaimsAsync(token),
                claims => claims.Any(c => c.GetProperty("quest_id").GetGuid() == questId), "the Pending claim of the completion");
            var claimId = pending.Single(c => c.GetProperty("quest_id").GetGuid() == questId).GetProperty("claim_id").GetGuid();

            // The reward goes up tenfold after the completion, before the claim.
            using (var edit = await QuestApiClient.SendAsync(_api.Catalog, HttpMethod.Put, $"/api/rewards/{rewardId}", admin,
                JsonContent.Create(new { name = $"gold-{suffix}", item = "gold", qty = 50 })))
            {
                await QuestApiClient.EnsureStatusAsync(edit, HttpStatusCode.OK);
                // The quest's snapshot moved with its reward: wait for the quest's own new version.
                var questVersion = (await QuestApiClient.GetAsync(_api.Catalog, $"/api/quests/{questId}", admin)).GetProperty("version").GetInt64();
                await CatalogCopies.WaitForCatalogCopyAsync(fixture.App, ResourceNames.ProcessingWorker, 2, questVersion, TimeSpan.FromSeconds(10));
            }

            using (var claim = await QuestApiClient.SendAsync(_api.Auth, HttpMethod.Post, $"/users/me/claims/{claimId}/claim", token))
            {
                await QuestApiClient.EnsureStatusAsync(claim, HttpStatusCode.OK);
            }

            Assert.Equal(5, (await _api.GetMeAsync(token)).GetProperty("gold").GetInt32());

            // The next completion pays the new amount.
            token = await _api.SignInAsync(userName);
            var claims = await QuestApiClient.EventuallyAsync(() => _api.GetClaimsAsync(token),
                c => c.Count(x => x.GetProperty("quest_id").GetGuid() == questId) == 2, "the second completion's claim");
            Assert.Equal([5, 50], claims.Where(c => c.GetProperty("quest_id").GetGuid() == questId).Select(c => c.GetProperty("reward_qty").GetInt32()).Order());
        }
        finally
        {
            using var deactivated = await QuestApiClient.SendAsync(_api.Catalog, HttpMethod.Post, $"/api/quests/{questId}/deactivate", admin);
        }
    }

    public void Dispose() => _api.Dispose();
}
