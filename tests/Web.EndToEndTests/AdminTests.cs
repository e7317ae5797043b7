using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace QuestAspire.Web.EndToEndTests;

/// <summary>The admin pages: only for admins; quests and rewards with the API's validation.</summary>
public sealed class AdminTests(AppFixture app, BrowserFixture browser) : WebTest(app, browser)
{
    private static readonly TimeSpan CatalogPropagation = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task AdminPage_AsPlayer_IsNotAllowed()
    {
        var userName = NewUserName();
        await SignUpAsync(userName);
        await SignInAsync(userName);
        await Expect(Page.GetByTestId("nav-admin")).ToHaveCountAsync(0);

        await Page.GotoAsync("admin");

        await Expect(Page.GetByTestId("not-allowed")).ToContainTextAsync("Not allowed");
        await Expect(Page.GetByTestId("admin-quests")).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(Page, "admin-not-allowed");
    }

    [Fact]
    public async Task Admin_CreatesAnAutoClaimQuest_AndAPlayerSignInCreditsTheWalletWithoutAClaim()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var rewardName = $"gold-{suffix}";
        var questName = $"hello-{suffix}";

        await SignInAsync("admin", TestAppHost.AdminPassword);
        await Page.GetByTestId("nav-admin").ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Admin", Exact = true })).ToBeVisibleAsync();

        // The API's validation messages appear next to the fields.
        await Page.GetByTestId("new-quest").ClickAsync();
        var questForm = Page.GetByTestId("quest-form");
        await questForm.GetByTestId("quest-streak").FillAsync("0");
        await questForm.GetByTestId("quest-save").ClickAsync();
        await Expect(questForm.GetByTestId("error-name")).ToBeVisibleAsync();
        await Expect(questForm.GetByTestId("error-streak")).ToBeVisibleAsync();
        await Expect(questForm.GetByTestId("error-reward_id")).ToBeVisibleAsync();
        await Expect(questForm.GetByLabel("Name", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        await Screenshots.SaveAsync(Page, "admin-validation");
        await questForm.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        await Page.GetByTestId("new-reward").ClickAsync();
        var rewardForm = Page.GetByTestId("reward-form");
        await rewardForm.GetByLabel("Name", new() { Exact = true }).FillAsync(rewardName);
        await rewardForm.GetByLabel("Item").SelectOptionAsync("gold");
        await rewardForm.GetByLabel("Quantity").FillAsync("5");
        await rewardForm.GetByTestId("reward-save").ClickAsync();
        await Expect(Page.GetByTestId("admin-notice")).ToHaveTextAsync($"Reward {rewardName} created.");
        await Expect(Page.Locator($"[data-testid=reward-row][data-reward='{rewardName}']")).ToContainTextAsync("5 gold");

        await Page.GetByTestId("new-quest").ClickAsync();
        await questForm.GetByLabel("Name", new() { Exact = true }).FillAsync(questName);
        await questForm.GetByLabel("Description").FillAsync("Sign in once");
        await questForm.GetByTestId("quest-streak").FillAsync("1");
        await questForm.GetByTestId("quest-duplication").FillAsync("1");
        await questForm.GetByLabel("Reward", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = $"{rewardName} (5 gold)" });
        await questForm.GetByLabel("Credit the reward automatically").CheckAsync();
        await questForm.GetByTestId("quest-save").ClickAsync();
        await Expect(Page.GetByTestId("admin-notice")).ToHaveTextAsync($"Quest {questName} created.");
        var questRow = Page.Locator($"[data-testid=quest-row][data-quest='{questName}']");
        await Expect(questRow).ToContainTextAsync("automatic");
        await Expect(questRow).ToContainTextAsync("active");
        await Screenshots.SaveAsync(Page, "admin", forReadme: true);

        try
        {
            await SignOutAsync();
            var player = NewUserName();
            await SignUpAsync(player);

            // A sign-in made before the worker's catalog copies hold the new quest does not count
            // toward it: wait until both replicas have it, then one sign-in must complete it.
            await CatalogCopies.WaitForCatalogCopyAsync(App, ResourceNames.ProcessingWorker, 2, await QuestVersionAsync(questName), CatalogPropagation);
            await SignInAsync(player);
            await WaitUntilUpToDateAsync();
            await Expect(Page.GetByTestId("wallet-gold")).ToHaveTextAsync("5");
            await Expect(QuestCard(questName).GetByTestId("completions")).ToHaveTextAsync("1 / 1");
            await Expect(Page.Locator($"[data-testid=claim][data-quest='{questName}']")).ToHaveCountAsync(0);

            await Page.GetByTestId("nav-rewards").ClickAsync();
            var claim = Page.Locator($"[data-testid=claim][data-quest='{questName}']");
            await Expect(claim.GetByTestId("claim-status")).ToHaveTextAsync("Claimed");
            await Expect(claim.GetByTestId("claim-button")).ToHaveCountAsync(0);

            // The admin retires the quest: it leaves the players' list.
            await SignOutAsync();
            await SignInAsync("admin", TestAppHost.AdminPassword);
            await Page.GetByTestId("nav-admin").ClickAsync();
            await questRow.GetByTestId("deactivate-quest").ClickAsync();
            await questRow.GetByTestId("confirm-deactivate").ClickAsync();
            await Expect(Page.GetByTestId("admin-notice")).ToHaveTextAsync($"Quest {questName} deactivated.");
            await Expect(questRow).ToContainTextAsync("inactive");
            await Page.GetByTestId("nav-quests").ClickAsync();
            await Expect(QuestCard(questName)).ToHaveCountAsync(0);
        }
        finally
        {
            await DeactivateQuestAsync(questName);
        }
    }

    // The catalog version that created the quest, as the catalog answers it.
    private async Task<long> QuestVersionAsync(string questName)
    {
        using var catalog = App.CreateHttpClient(ResourceNames.CatalogApi);
        var quest = await catalog.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/quests/by-name/{questName}", TestContext.Current.CancellationToken)
            .WaitAsync(QuestApiClient.RequestTimeout, TestContext.Current.CancellationToken);
        return quest.GetProperty("version").GetInt64();
    }

    // Whatever happened above, later tests must not meet an active auto-claim quest.
    private async Task DeactivateQuestAsync(string questName)
    {
        var token = TestContext.Current.CancellationToken;
        using var catalog = App.CreateHttpClient(ResourceNames.CatalogApi);
        using var found = await catalog.GetAsync($"/api/quests/by-name/{questName}", token);
        if (!found.IsSuccessStatusCode)
        {
            return;
        }

        var questId = (await found.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(token)).GetProperty("quest_id").GetGuid();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/quests/{questId}/deactivate");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await GetAdminTokenAsync());
        using var response = await catalog.SendAsync(request, token);
        response.EnsureSuccessStatusCode();
    }
}
