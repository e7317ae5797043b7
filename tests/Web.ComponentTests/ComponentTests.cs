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

    [Fact]
    public void QuestEditor_KindFields_GoToTheApi_AndItsMessagesShowByEachField()
    {
        var first = new Quest(Guid.NewGuid(), "first", "", 1, 1, true, true, new Reward(Guid.NewGuid(), "gold", "gold", 1, true));
        var problem = new
        {
            status = 400,
            errors = new Dictionary<string, string[]>
            {
                ["freezes"] = ["freezes apply to daily_streak quests only."],
                ["reset"] = ["reset must be null, daily, weekly or a five-field cron expression."],
                ["ends_at"] = ["ends_at must be after starts_at."],
                ["precondition_ids"] = ["precondition_ids must name existing quests."],
                ["event_type"] = ["event_type must match [a-z][a-z0-9_]*."],
                ["kind"] = ["kind must be count or daily_streak."],
                ["value_mode"] = ["value_mode must be count or sum."],
            },
        };
        string? sent = null;
        Use(new FakeApi(async request =>
        {
            sent = await request.Content!.ReadAsStringAsync();
            return FakeApi.Response(HttpStatusCode.BadRequest, problem, "application/problem+json");
        }));
        var editor = Render<QuestEditor>(p => p.Add(e => e.Rewards, Array.Empty<Reward>()).Add(e => e.Quests, [first]));

        editor.Find("#quest-event-type").Change("match_won");
        editor.Find("#quest-kind").Change("daily_streak");
        editor.Find("#quest-value-mode").Change("sum");
        editor.Find("#quest-freezes").Change("2");
        editor.Find("#quest-reset").Change("cron");
        editor.Find("#quest-cron").Change("0 18 * * 5");
        editor.Find("#quest-starts-at").Change("2026-12-24T00:00");
        editor.Find("#quest-ends-at").Change("2026-12-27T00:00");
        editor.Find("#quest-preconditions").Change(new[] { first.QuestId.ToString() });
        editor.Find("form").Submit();

        editor.WaitForAssertion(() => Assert.NotNull(sent));
        var body = System.Text.Json.JsonDocument.Parse(sent!).RootElement;
        Assert.Equal("match_won", body.GetProperty("event_type").GetString());
        Assert.Equal("daily_streak", body.GetProperty("kind").GetString());
        Assert.Equal("sum", body.GetProperty("value_mode").GetString());
        Assert.Equal(2, body.GetProperty("freezes").GetInt32());
        Assert.Equal("0 18 * * 5", body.GetProperty("reset").GetString());
        Assert.Equal(DateTimeOffset.Parse("2026-12-24T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), body.GetProperty("starts_at").GetDateTimeOffset());
        Assert.Equal(DateTimeOffset.Parse("2026-12-27T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), body.GetProperty("ends_at").GetDateTimeOffset());
        Assert.Equal(first.QuestId, Assert.Single(body.GetProperty("precondition_ids").EnumerateArray()).GetGuid());

        editor.WaitForAssertion(() => Assert.Equal("freezes apply to daily_streak quests only.", editor.Find("[data-testid=error-freezes]").TextContent));
        foreach (var field in new[] { "reset", "ends_at", "precondition_ids", "event_type", "kind", "value_mode" })
        {
            Assert.Equal(problem.errors[field][0], editor.Find($"[data-testid=error-{field}]").TextContent);
        }

        Assert.Equal("true", editor.Find("#quest-preconditions").GetAttribute("aria-invalid"));
    }
}
