using System.Net;
using Microsoft.AspNetCore.Components;
using QuestAspire.Web.Components.Pages.Admin;
using QuestAspire.Web.Components.Shared;

namespace QuestAspire.Web.ComponentTests;

public sealed class ComponentTests : BunitContext
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-24T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    // Services first: the renderer fixes the service provider once it exists.
    private void Use(FakeApi api)
    {
        Services.AddWebClients(api);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    [Fact]
    public async Task ClaimButton_ClickedTwiceBeforeTheAnswer_ClaimsOnce_AndUpdatesTheWallet()
    {
        var pending = new RewardClaim(Guid.NewGuid(), Guid.NewGuid(), "signin_three", "diamond", 10, "Pending", Now, null);
        var answer = new TaskCompletionSource<HttpResponseMessage>();
        var api = new FakeApi(_ => answer.Task);
        Use(api);
        ClaimResult? claimed = null;
        var list = Render<ClaimList>(p => p
            .Add(c => c.Claims, [pending])
            .Add(c => c.OnClaimed, (ClaimResult r) => claimed = r));

        var button = list.Find("[data-testid=claim-button]");
        var first = button.ClickAsync(new());
        var second = button.ClickAsync(new()); // the same (now stale) button: a double click
        Assert.Equal("Claiming…", list.Find("[data-testid=claim-button]").TextContent.Trim());
        Assert.True(list.Find("[data-testid=claim-button]").HasAttribute("disabled"));

        answer.SetResult(FakeApi.Response(HttpStatusCode.OK, new ClaimResult(pending with { Status = "Claimed", ClaimedAt = Now }, new Wallet(0, 10))));
        await Task.WhenAll(first, second);

        Assert.Single(api.Requests);
        Assert.Equal(new Wallet(0, 10), Services.GetRequiredService<WalletState>().Current);
        Assert.Equal("Claimed", claimed?.Claim.Status);
    }

    [Fact]
    public void ClaimButton_AlreadyClaimedElsewhere_AsksForAFreshList()
    {
        var pending = new RewardClaim(Guid.NewGuid(), Guid.NewGuid(), "signin_three", "diamond", 10, "Pending", Now, null);
        Use(FakeApi.Answering(HttpStatusCode.Conflict, FakeApi.Problem(409, "Already claimed."), "application/problem+json"));
        var stale = false;
        var list = Render<ClaimList>(p => p
            .Add(c => c.Claims, [pending])
            .Add(c => c.OnStale, () => stale = true));

        list.Find("[data-testid=claim-button]").Click();

        list.WaitForAssertion(() => Assert.True(stale));
        Assert.Null(Services.GetRequiredService<WalletState>().Current);
    }

    [Fact]
    public void QuestEditor_FieldsTheApiRejects_ShowItsMessagesNextToThem()
    {
        var problem = new
        {
            status = 400,
            errors = new Dictionary<string, string[]>
            {
                ["name"] = ["name is required."],
                ["reward_id"] = ["reward_id is required."],
            },
        };
        var api = FakeApi.Answering(HttpStatusCode.BadRequest, problem, "application/problem+json");
        Use(api);
        var editor = Render<QuestEditor>(p => p.Add(e => e.Rewards, Array.Empty<Reward>()));

        editor.Find("form").Submit();

        editor.WaitForAssertion(() => Assert.Equal("name is required.", editor.Find("[data-testid=error-name]").TextContent));
        Assert.Equal("reward_id is required.", editor.Find("[data-testid=error-reward_id]").TextContent);
        Assert.Equal("true", editor.Find("#quest-name").GetAttribute("aria-invalid"));
        Assert.Equal("true", editor.Find("#quest-reward").GetAttribute("aria-invalid"));
        Assert.Null(editor.Find("#quest-description").GetAttribute("aria-invalid"));
        Assert.Contains("/api/quests", Assert.Single(api.Requests).RequestUri?.AbsolutePath, StringComparison.Ordinal);

        // Editing a field clears its message.
        editor.Find("#quest-name").Change("daily");
        Assert.Empty(editor.FindAll("[data-testid=error-name]"));
        Assert.Single(editor.FindAll("[data-testid=error-reward_id]"));
    }
}
