using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Components;
using QuestAspire.Web.Components.Pages;

namespace QuestAspire.Web.ComponentTests;

/// <summary>The settings page: the browser's zone offered, Auth's field message, a saved zone.</summary>
public sealed class SettingsTests : BunitContext
{
    private readonly List<string> _sent = [];

    private FakeApi Api(Func<HttpRequestMessage, HttpResponseMessage> put, string currentZone = "UTC", Task? profileHeld = null) => new(async request =>
    {
        if (request.Method == HttpMethod.Get)
        {
            await (profileHeld ?? Task.CompletedTask);
            return FakeApi.Response(HttpStatusCode.OK, new UserProfile(TestServices.Player.UserId, "alice", "active", Roles.Player, 0, 0) { TimeZone = currentZone });
        }

        _sent.Add(await request.Content!.ReadAsStringAsync());
        return put(request);
    });

    private void Use(FakeApi api, string browserZone)
    {
        Services.AddWebClients(api);
        JSInterop.Setup<string>("questAspire.timeZone").SetResult(browserZone);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    [Fact]
    public void Settings_PlayerInTheDefaultZone_IsOfferedTheBrowsersZone_AndSavesIt()
    {
        Use(Api(_ => FakeApi.Response(HttpStatusCode.NoContent)), "Asia/Tokyo");
        var page = Render<Settings>();

        page.WaitForAssertion(() => Assert.Equal("Asia/Tokyo", page.Find("[data-testid=time-zone]").GetAttribute("value")));
        Assert.Equal("UTC", page.Find("[data-testid=current-time-zone]").TextContent);
        Assert.Contains("Asia/Tokyo", page.Find("[data-testid=browser-zone]").TextContent, StringComparison.Ordinal);

        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Equal("Saved. Your quests now count days in Asia/Tokyo.", page.Find("[data-testid=settings-notice]").TextContent));
        Assert.Equal("Asia/Tokyo", page.Find("[data-testid=current-time-zone]").TextContent);
        Assert.Equal("Asia/Tokyo", JsonDocument.Parse(Assert.Single(_sent)).RootElement.GetProperty("time_zone").GetString());
    }

    [Fact]
    public void Settings_ProfileArrivingAfterTheBrowsersZone_StillPutsTheBrowsersZoneInTheField()
    {
        var profile = new TaskCompletionSource();
        Use(Api(_ => FakeApi.Response(HttpStatusCode.NoContent), profileHeld: profile.Task), "Asia/Tokyo");
        var page = Render<Settings>();

        page.WaitForAssertion(() => JSInterop.VerifyInvoke("questAspire.timeZone"));
        profile.SetResult();

        page.WaitForAssertion(() => Assert.Equal("Asia/Tokyo", page.Find("[data-testid=time-zone]").GetAttribute("value")));
        Assert.Equal("UTC", page.Find("[data-testid=current-time-zone]").TextContent);
    }

    [Fact]
    public void Settings_PlayerWithAZoneOfTheirOwn_KeepsIt_AndCanTakeTheBrowsers()
    {
        Use(Api(_ => FakeApi.Response(HttpStatusCode.NoContent), currentZone: "Europe/Paris"), "Asia/Tokyo");
        var page = Render<Settings>();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=use-browser-zone]")));
        Assert.Equal("Europe/Paris", page.Find("[data-testid=time-zone]").GetAttribute("value"));

        page.Find("[data-testid=use-browser-zone]").Click();

        Assert.Equal("Asia/Tokyo", page.Find("[data-testid=time-zone]").GetAttribute("value"));
    }

    [Fact]
    public void Settings_UnknownZone_ShowsAuthsMessageByTheField()
    {
        var problem = new { status = 400, errors = new Dictionary<string, string[]> { ["time_zone"] = ["time_zone must be an IANA time zone id, such as Europe/Paris."] } };
        Use(Api(_ => FakeApi.Response(HttpStatusCode.BadRequest, problem, "application/problem+json")), "UTC");
        var page = Render<Settings>();
        page.WaitForAssertion(() => Assert.Equal("UTC", page.Find("[data-testid=time-zone]").GetAttribute("value")));

        page.Find("[data-testid=time-zone]").Change("Mars/Olympus");
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Equal("time_zone must be an IANA time zone id, such as Europe/Paris.", page.Find("[data-testid=error-time_zone]").TextContent));
        Assert.Equal("true", page.Find("#time-zone").GetAttribute("aria-invalid"));
        Assert.Empty(page.FindAll("[data-testid=settings-notice]"));
        Assert.Equal("UTC", page.Find("[data-testid=current-time-zone]").TextContent);
    }
}
