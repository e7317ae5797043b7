namespace QuestAspire.Web.EndToEndTests;

/// <summary>The wallet's history in the browser: a reward the player earned and an admin's adjustment, both explained.</summary>
public sealed class WalletTests(AppFixture app, BrowserFixture browser) : WebTest(app, browser)
{
    private const string SeededQuest = "signin_three";

    [Fact]
    public async Task WalletPage_AfterAQuestRewardAndAnAdminAdjustment_ShowsBothWithTheirSources()
    {
        var userName = NewUserName();
        var reason = $"Goodwill {Guid.NewGuid().ToString("N")[..6]}";
        await SignUpAsync(userName);

        // The seeded quest pays 10 diamond on the third sign-in, claimed by hand.
        for (var signIn = 1; signIn <= 3; signIn++)
        {
            await SignInAsync(userName);
            await WaitUntilUpToDateAsync();
            if (signIn < 3)
            {
                await SignOutAsync();
            }
        }

        var claim = Page.Locator($"[data-testid=claim][data-quest='{SeededQuest}']");
        await claim.GetByTestId("claim-button").ClickAsync();
        await Expect(Page.GetByTestId("wallet-diamond")).ToHaveTextAsync("10");
        await SignOutAsync();

        // The admin finds the player and credits 7 gold with a reason.
        await SignInAsync("admin", TestAppHost.AdminPassword);
        await Page.GetByTestId("nav-player-wallets").ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Player wallets" })).ToBeVisibleAsync();
        await Page.GetByLabel("User name").FillAsync(userName);
        await Page.GetByTestId("find-submit").ClickAsync();
        var wallet = Page.Locator($"[data-testid=player-wallet][data-user='{userName}']");
        await Expect(wallet.GetByTestId("player-diamond")).ToHaveTextAsync("10");
        // Another test's auto-claim quest may have paid gold meanwhile: count from what is there.
        var goldBefore = long.Parse(await wallet.GetByTestId("player-gold").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        var goldAfter = (goldBefore + 7).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await wallet.GetByLabel("Item").SelectOptionAsync("gold");
        await wallet.GetByLabel("Amount").FillAsync("7");
        await wallet.GetByLabel("Reason").FillAsync(reason);
        await wallet.GetByTestId("adjust-submit").ClickAsync();
        await Expect(wallet.GetByTestId("wallet-notice")).ToHaveTextAsync($"{userName}'s gold adjusted by +7.");
        await Expect(wallet.GetByTestId("player-gold")).ToHaveTextAsync(goldAfter);
        await Screenshots.SaveAsync(Page, "admin-player-wallet");
        await SignOutAsync();

        // The player's history explains both, newest first; the reward links to its quest.
        await SignInAsync(userName);
        await Page.GetByTestId("wallet").ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Wallet", Exact = true })).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("balance-gold")).Not.ToHaveTextAsync("0");
        await Expect(Page.GetByTestId("balance-diamond")).ToHaveTextAsync("10");
        var adjustment = Page.Locator("[data-testid=ledger-entry][data-source=admin_adjustment]").Filter(new() { HasText = reason });
        await Expect(adjustment.GetByTestId("ledger-what")).ToHaveTextAsync($"Adjusted by an admin: {reason}");
        await Expect(adjustment.GetByTestId("ledger-amount")).ToContainTextAsync("+7");
        var reward = Page.Locator("[data-testid=ledger-entry][data-source=claim]").Filter(new() { HasText = SeededQuest });
        await Expect(reward.GetByTestId("ledger-what")).ToHaveTextAsync($"Quest reward: {SeededQuest}");
        await Expect(reward.GetByTestId("ledger-amount")).ToContainTextAsync("+10");
        await Screenshots.SaveAsync(Page, "wallet");

        await reward.GetByTestId("ledger-quest-link").ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Your quests" })).ToBeVisibleAsync();
        Assert.Contains("#quest-", Page.Url, StringComparison.Ordinal);
    }
}
