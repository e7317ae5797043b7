namespace QuestAspire.Web.EndToEndTests;

/// <summary>The settings page, in a browser whose clock is in Tokyo.</summary>
public sealed class SettingsTests(AppFixture app, BrowserFixture browser) : WebTest(app, browser)
{
    protected override string? TimezoneId => "Asia/Tokyo";

    [Fact]
    public async Task Settings_OffersTheBrowsersZone_RefusesAnUnknownOne_AndSavesTokyoToTheProfile()
    {
        using var api = new QuestApiClient(App);
        var userName = NewUserName();
        await api.SignUpAsync(userName, Password);
        var token = await api.SignInAsync(userName, Password);
        await SignInAsync(userName);

        await Page.GetByTestId("nav-settings").ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Settings" })).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("current-time-zone")).ToHaveTextAsync("UTC");
        await Expect(Page.GetByTestId("browser-zone")).ToContainTextAsync("Asia/Tokyo");
        var field = Page.GetByLabel("Time zone");
        await Expect(field).ToHaveValueAsync("Asia/Tokyo");

        // Auth knows the zones: its message appears by the field, and nothing is saved.
        await field.FillAsync("Mars/Olympus_Mons");
        await Page.GetByTestId("save-time-zone").ClickAsync();
        await Expect(Page.GetByTestId("error-time_zone")).ToBeVisibleAsync();
        await Expect(field).ToHaveAttributeAsync("aria-invalid", "true");
        await Screenshots.SaveAsync(Page, "settings-bad-zone");

        await Page.GetByTestId("use-browser-zone").ClickAsync();
        await Expect(field).ToHaveValueAsync("Asia/Tokyo");
        await Page.GetByTestId("save-time-zone").ClickAsync();
        await Expect(Page.GetByTestId("settings-notice")).ToHaveTextAsync("Saved. Your quests now count days in Asia/Tokyo.");
        await Expect(Page.GetByTestId("current-time-zone")).ToHaveTextAsync("Asia/Tokyo");
        await Screenshots.SaveAsync(Page, "settings", forReadme: true);

        var me = await api.GetMeAsync(token);
        Assert.Equal("Asia/Tokyo", me.GetProperty("time_zone").GetString());
    }
}
