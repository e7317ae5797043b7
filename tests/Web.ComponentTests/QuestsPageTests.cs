using System.Net;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using QuestAspire.Web.Components.Pages;

namespace QuestAspire.Web.ComponentTests;

/// <summary>The quests page: refreshed by pushes, and never an endless spinner.</summary>
public sealed class QuestsPageTests : BunitContext
{
    private static readonly Reward Diamonds = new(Guid.NewGuid(), "signin_three", "diamond", 10, true);
    private static readonly Quest SignInThree = new(Guid.NewGuid(), "signin_three", "Sign in 3 times", 3, 2, false, true, Diamonds);

    private readonly FakeTimeProvider _time = new(TestServices.Player.SignedInAt.AddSeconds(2));
    private readonly ProgressHub _hub = new(NullLogger<ProgressHub>.Instance);
    private volatile bool _claimStored;
    private volatile int _progress = 2;

    private FakeApi Use()
    {
        var completed = new RewardClaim(Guid.NewGuid(), SignInThree.QuestId, SignInThree.Name, "diamond", 10, "Pending", TestServices.Player.SignedInAt, null);
        // Answers asynchronously, as a real service does: the page's first render comes before them.
        var api = new FakeApi(async request =>
        {
            await Task.Yield();
            var path = request.RequestUri!.AbsolutePath;
            object body = path switch
            {
                "/api/quests" => new[] { SignInThree },
                _ when path.EndsWith("/progress", StringComparison.Ordinal) => new[]
                {
                    new QuestProgress(SignInThree.QuestId, SignInThree.Name, _progress % 3, 3, _progress / 3, 2, TestServices.Player.SignedInAt),
                },
                _ when path.EndsWith("/events", StringComparison.Ordinal) => new EventPage(
                    [new ActivityEvent(Guid.NewGuid(), "UserSignIn", TestServices.Player.UserId, TestServices.Player.SignedInAt, TestServices.Player.SignedInAt, System.Text.Json.JsonSerializer.SerializeToElement(new { }))], 1, 1, 1),
                "/users/me/claims" => _claimStored ? new[] { completed } : Array.Empty<RewardClaim>(),
                _ => new UserProfile(TestServices.Player.UserId, "alice", "active", Roles.Player, 0, 0),
            };
            return FakeApi.Response(HttpStatusCode.OK, body);
        });
        Services.AddWebClients(api);
        Services.AddSingleton<TimeProvider>(_time);
        Services.AddSingleton(_hub);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return api;
    }

    [Fact]
    public void QuestsPage_APush_RefreshesTheCards_AndTheEventLogIsNotAskedAgain()
    {
        var api = Use();
        var page = Render<Quests>();
        page.WaitForAssertion(() => Assert.Equal("2 / 3", page.Find("[data-testid=progress]").TextContent));
        page.WaitForAssertion(() => Assert.Equal(1, _hub.Count));
        Assert.NotEmpty(page.FindAll("[data-testid=up-to-date]"));

        _progress = 3;
        _claimStored = true;
        _hub.Publish([TestServices.Player.UserId]);

        page.WaitForAssertion(() => Assert.Equal("0 / 3", page.Find("[data-testid=progress]").TextContent));
        Assert.Equal("1 / 2", page.Find("[data-testid=completions]").TextContent);
        Assert.Single(api.Requests, r => r.RequestUri!.AbsolutePath.EndsWith("/events", StringComparison.Ordinal));
    }

    [Fact]
    public void QuestsPage_AClaimThatDoesNotArrive_EndsTheSpinnerWithASentenceAfter15Seconds()
    {
        _progress = 3; // a completion whose claim Auth never stores
        Use();
        var page = Render<Quests>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=processing]")));

        for (var i = 0; i < 20 && page.FindAll("[data-testid=processing-stuck]").Count == 0; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            Thread.Sleep(20); // lets the page's refresh of that second run (real requests to the fake API)
        }

        page.WaitForAssertion(() => Assert.Contains("has not reached your rewards after 15 seconds", page.Find("[data-testid=processing-stuck]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll(".spinner"));

        // It still comes when it comes: the next look finds it.
        _claimStored = true;
        _hub.Publish([TestServices.Player.UserId]);
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=up-to-date]")));
    }

    [Fact]
    public async Task QuestsPage_Disposed_Unsubscribes()
    {
        Use();
        var page = Render<Quests>();
        page.WaitForAssertion(() => Assert.Equal(1, _hub.Count));

        await DisposeComponentsAsync();

        Assert.Equal(0, _hub.Count);
    }
}
