using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Components;
using QuestAspire.Web.Components.Shared;

namespace QuestAspire.Web.ComponentTests;

/// <summary>The Explain drawer of a quest card: loaded when opened, each event with whether and why it counted.</summary>
public sealed class QuestExplainDrawerTests : BunitContext
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-24T12:00:00Z", CultureInfo.InvariantCulture);
    private static readonly Reward Diamonds = new(Guid.NewGuid(), "signin_three", "diamond", 10, true);
    private static readonly Quest SignInThree = new(Guid.NewGuid(), "signin_three", "Sign in 3 times", 3, 2, false, true, Diamonds);

    // Bounds every wait: the suite runs its classes in parallel on a shared machine.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private FakeApi Use(params ExplainedEvent[] events)
    {
        var api = new FakeApi(async request =>
        {
            await Task.Yield();
            return request.RequestUri!.AbsolutePath.EndsWith("/explain", StringComparison.Ordinal)
                ? FakeApi.Response(HttpStatusCode.OK, new QuestExplanation(events))
                : FakeApi.Response(HttpStatusCode.NotFound, FakeApi.Problem(404, "not faked"), "application/problem+json");
        });
        Services.AddWebClients(api);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return api;
    }

    [Fact]
    public void Explain_Opened_ListsTheEventsWithWhetherAndWhyEachCounted_InThePlayersZone()
    {
        var first = new ExplainedEvent(Guid.NewGuid(), "NewUserSignIn", Now.AddDays(-1), true, "counted");
        var second = new ExplainedEvent(Guid.NewGuid(), "UserSignIn", Now, false, "limit reached");
        var api = Use(first, second);
        var card = Render<QuestCardView>(p => p.Add(c => c.Card, Card("Asia/Tokyo")).Add(c => c.Now, Now));
        Assert.Empty(api.Requests);
        Assert.Empty(card.FindAll("[data-testid=explain-drawer]"));

        card.Find("[data-testid=explain]").Click();

        card.WaitForAssertion(() => Assert.Equal(2, card.FindAll("[data-testid=explain-event]").Count), Patience);
        var rows = card.FindAll("[data-testid=explain-event]");
        Assert.Equal(["counted", "limit reached"], rows.Select(r => r.QuerySelector("[data-testid=explain-reason]")!.TextContent));
        Assert.Equal(["true", "false"], rows.Select(r => r.GetAttribute("data-counted")));
        Assert.Contains("✓", rows[0].QuerySelector("[data-testid=explain-counted]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("✗", rows[1].QuerySelector("[data-testid=explain-counted]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("NewUserSignIn", rows[0].QuerySelector("[data-testid=explain-type]")!.TextContent);
        // 12:00 UTC is 21:00 in Tokyo.
        Assert.Equal("24 Nov 2026, 21:00:00 (Asia/Tokyo)", rows[1].QuerySelector("[data-testid=explain-time]")!.TextContent);
        var request = Assert.Single(api.Requests);
        Assert.Equal($"/api/users/{TestServices.Player.UserId}/quests/{SignInThree.QuestId}/explain", request.RequestUri!.AbsolutePath);
        Assert.Equal("token-of-alice", request.Headers.Authorization?.Parameter);

        card.Find("[data-testid=explain-close]").Click();
        card.WaitForAssertion(() => Assert.Empty(card.FindAll("[data-testid=explain-drawer]")), Patience);
    }

    [Fact]
    public void Explain_NoEventsYet_SaysSo()
    {
        Use();
        var card = Render<QuestCardView>(p => p.Add(c => c.Card, Card("UTC")).Add(c => c.Now, Now));

        card.Find("[data-testid=explain]").Click();

        card.WaitForAssertion(() => Assert.Equal("No events of this quest's type yet.", card.Find("[data-testid=explain-empty]").TextContent), Patience);
        Assert.Empty(card.FindAll("[data-testid=explain-event]"));
    }

    private static QuestCard Card(string zone) =>
        new(SignInThree, 0, 2, 0, new QuestProgress(SignInThree.QuestId, SignInThree.Name, 0, 3, 2, 2, Now) { TimeZone = zone });
}
