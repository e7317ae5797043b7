namespace QuestAspire.Web.EndToEndTests;

/// <summary>What a player does in the browser: sign up, sign in and out, watch quests, claim rewards.</summary>
public sealed class PlayerTests(AppFixture app, BrowserFixture browser) : WebTest(app, browser)
{
    private const string SeededQuest = "signin_three";

    [Fact]
    public async Task ReferenceScenario_ThreeSignInsAndOuts_ShowOneCompletionAndAPendingReward_AndClaimingCreditsTenDiamonds()
    {
        var userName = NewUserName();
        await SignUpAsync(userName, screenshot: "signup");

        for (var signIn = 1; signIn <= 3; signIn++)
        {
            await SignInAsync(userName, screenshot: signIn == 1 ? "login" : null);
            await WaitUntilUpToDateAsync();
            await Expect(QuestCard(SeededQuest).GetByTestId("progress")).ToHaveTextAsync($"{signIn % 3} / 3");
            if (signIn < 3)
            {
                await SignOutAsync();
            }
        }

        // The third sign-in completed the quest once: progress starts over, a reward waits.
        var quest = QuestCard(SeededQuest);
        await Expect(quest.GetByTestId("completions")).ToHaveTextAsync("1 / 2");
        await Expect(quest.GetByTestId("reward")).ToContainTextAsync("10 diamond");
        await Expect(quest.GetByTestId("pending-count")).ToContainTextAsync("1 waiting");
        var claim = Page.Locator($"[data-testid=claim][data-quest='{SeededQuest}']");
        await Expect(claim.GetByTestId("claim-status")).ToHaveTextAsync("Pending");
        await Expect(Page.GetByTestId("wallet-diamond")).ToHaveTextAsync("0");
        await Screenshots.SaveAsync(Page, "quests", forReadme: true);

        // A double click claims once.
        await claim.GetByTestId("claim-button").DblClickAsync();
        await Expect(Page.GetByTestId("claim-notice")).ToContainTextAsync("10 diamond added to your wallet");
        await Expect(Page.GetByTestId("wallet-diamond")).ToHaveTextAsync("10");

        // Moving between pages keeps the interactive session: no full page load.
        await Page.EvaluateAsync("() => window.questAspireSession = 1");
        await Page.GetByTestId("nav-rewards").ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Your rewards" })).ToBeVisibleAsync();
        Assert.Equal(1, await Page.EvaluateAsync<int>("() => window.questAspireSession ?? 0"));
        // Only the seeded quest's claim: other tests' quests may be active while this one runs.
        var claims = Page.Locator($"[data-testid=claim][data-quest='{SeededQuest}']");
        await Expect(claims).ToHaveCountAsync(1);
        await Expect(claims.GetByTestId("claim-status")).ToHaveTextAsync("Claimed");
        await Expect(claims.GetByTestId("claim-button")).ToHaveCountAsync(0);
        await Expect(Page.GetByTestId("wallet-diamond")).ToHaveTextAsync("10");
        await Screenshots.SaveAsync(Page, "rewards", forReadme: true);

        // The event log, newest first: the completion after the third sign-in.
        await Page.GetByTestId("nav-activity").ClickAsync();
        var events = Page.Locator("[data-testid=event]");
        // Three sign-ins and at least the seeded quest's completion (a quest another test just
        // deactivated may still have counted, see above).
        await Expect(Page.Locator("[data-testid=event][data-event-type$=SignIn]")).ToHaveCountAsync(3);
        await Expect(events.First).ToHaveAttributeAsync("data-event-type", "QuestCompleted");
        await Expect(events.Last).ToHaveAttributeAsync("data-event-type", "NewUserSignIn");
        await Expect(Page.GetByTestId("page-info")).ToHaveTextAsync("Page 1 of 1");
        await Screenshots.SaveAsync(Page, "activity", forReadme: true);

        // Still 10 on a fresh load, which reads the wallet from Auth as the badge's own refresh
        // does: the double click did not credit twice.
        await Page.ReloadAsync();
        await Expect(Page.GetByTestId("wallet-diamond")).ToHaveTextAsync("10");
    }

    [Fact]
    public async Task SignIn_WrongPassword_ShowsTheMessageAndStartsNoSession()
    {
        // Keyboard only: the form is usable without a mouse.
        await Page.GotoAsync("account/login");
        await Expect(Page.GetByLabel("User name")).ToBeFocusedAsync();
        await Page.Keyboard.TypeAsync("user");
        await Page.Keyboard.PressAsync("Tab");
        await Expect(Page.GetByLabel("Password")).ToBeFocusedAsync();
        await Page.Keyboard.TypeAsync("not-the-password");
        await Page.Keyboard.PressAsync("Enter");

        await Expect(Page.GetByTestId("login-error")).ToHaveTextAsync("Incorrect user name or password.");
        await Expect(Page.GetByLabel("Password")).ToHaveValueAsync("");
        Assert.False(await HasSessionCookieAsync(), "a failed sign-in must not leave a session cookie");
        await Screenshots.SaveAsync(Page, "login-wrong-password");

        await Page.GotoAsync("");
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login\\?ReturnUrl=%2F$"));
    }

    [Fact]
    public async Task SignIn_OfALockedAccount_SaysSoWithTheWait()
    {
        var userName = NewUserName();
        using var api = new QuestApiClient(App);
        await api.SignUpAsync(userName, Password);
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await api.PostSignInAsync(userName, "not-the-password");
        }

        await Page.GotoAsync("account/login");
        await Page.GetByLabel("User name").FillAsync(userName);
        await Page.GetByLabel("Password").FillAsync(Password);
        await Page.GetByTestId("sign-in").ClickAsync();

        await Expect(Page.GetByTestId("login-error")).ToHaveTextAsync(
            new System.Text.RegularExpressions.Regex("^Too many failed sign-ins for this account\\. Try again in [1-3] seconds?\\.$"));
        Assert.False(await HasSessionCookieAsync(), "a locked account gets no session");
        await Screenshots.SaveAsync(Page, "login-locked");
    }

    [Fact]
    public async Task SignUp_BadOrTakenName_ShowsTheRulesNextToTheFields()
    {
        await Page.GotoAsync("account/signup");
        await Expect(Page.GetByText("3 to 40 characters")).ToBeVisibleAsync();
        await Expect(Page.GetByText("8 to 40 characters")).ToBeVisibleAsync();

        await Page.GetByLabel("User name").FillAsync("a b");
        await Page.GetByLabel("Password").FillAsync("short");
        await Page.GetByTestId("sign-up").ClickAsync();
        await Expect(Page.GetByTestId("error-user_name")).ToContainTextAsync("3 to 40 characters");
        await Expect(Page.GetByTestId("error-password")).ToContainTextAsync("8 to 40 characters");
        await Expect(Page.GetByLabel("User name")).ToHaveAttributeAsync("aria-invalid", "true");
        await Screenshots.SaveAsync(Page, "signup-errors");

        await Page.GetByLabel("User name").FillAsync("user");
        await Page.GetByLabel("Password").FillAsync(Password);
        await Page.GetByTestId("sign-up").ClickAsync();
        await Expect(Page.GetByTestId("error-user_name")).ToHaveTextAsync("The user name 'user' is taken. Choose another one.");
        await Expect(Page.GetByTestId("error-password")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Pages_AtPhoneWidth_FitTheScreen()
    {
        var userName = NewUserName();
        await SignUpAsync(userName);
        await SignInAsync(userName);
        await Page.SetViewportSizeAsync(375, 740);

        foreach (var (path, name) in new[] { ("", "quests"), ("rewards", "rewards"), ("activity", "activity") })
        {
            await Page.GotoAsync(path);
            await Expect(Page.GetByTestId("loading")).ToHaveCountAsync(0);
            var overflow = await Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"The {name} page is {overflow} px wider than a 375 px screen");
            await Screenshots.SaveAsync(Page, $"{name}-phone", forReadme: name == "quests");
        }
    }
}
