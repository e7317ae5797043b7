using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Components;
using QuestAspire.Web.Components.Pages;
using QuestAspire.Web.Components.Pages.Admin;

namespace QuestAspire.Web.ComponentTests;

/// <summary>The player's wallet page and the admin's player wallets: history in words, paging, adjustments, refunds.</summary>
public sealed class WalletTests : BunitContext
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-24T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly Guid QuestId = Guid.Parse("0193a4c2-0000-7000-8000-000000000001");
    private static readonly Guid SpendId = Guid.Parse("0193a4c2-0000-7000-8000-0000000000a1");
    private static readonly Guid Bob = Guid.Parse("0193a4c2-0000-7000-8000-0000000000b0");
    private static readonly Guid Admin = Guid.Parse("0193a4c2-0000-7000-8000-0000000000ad");

    private readonly List<Sent> _sent = [];

    /// <summary>A request as it reached the fake Auth: its body read before the client disposed of it.</summary>
    private sealed record Sent(HttpMethod Method, string PathAndQuery, string? Body, string? IdempotencyKey, string? IfMatch);

    private static LedgerEntry Entry(string source, string item, long amount, long balanceAfter, int minutesAgo, string? reason = null,
        Guid? id = null, Guid? referenceId = null, Guid? questId = null, Guid? actorId = null) =>
        new(id ?? Guid.NewGuid(), item, amount, balanceAfter, source, referenceId, questId, reason, actorId, Now.AddMinutes(-minutesAgo));

    private static readonly LedgerEntry Claim = Entry(LedgerSources.Claim, "diamond", 10, 10, 40, "signin_three", referenceId: Guid.NewGuid(), questId: QuestId);
    private static readonly LedgerEntry Spend = Entry(LedgerSources.Spend, "gold", -30, 70, 30, "Sword of dawn", id: SpendId);
    private static readonly LedgerEntry Adjustment = Entry(LedgerSources.AdminAdjustment, "gold", 5, 105, 10, "Apology for the outage", actorId: Admin);
    private static readonly LedgerEntry Refund = Entry(LedgerSources.Refund, "gold", 30, 100, 20, "Bought by mistake", referenceId: SpendId, actorId: Admin);
    private static readonly LedgerEntry Opening = Entry(LedgerSources.Opening, "gold", 100, 100, 60);

    // Answers by method and path; what the test does not route is a 404, so a wrong URL shows.
    private FakeApi Api(Func<HttpMethod, string, HttpResponseMessage?> route) => new(async request =>
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync();
        var sent = new Sent(request.Method, request.RequestUri!.PathAndQuery, body,
            request.Headers.TryGetValues("Idempotency-Key", out var keys) ? keys.Single() : null,
            request.Headers.IfMatch.SingleOrDefault()?.Tag);
        lock (_sent)
        {
            _sent.Add(sent);
        }

        return route(request.Method, sent.PathAndQuery) ?? FakeApi.Response(HttpStatusCode.NotFound, FakeApi.Problem(404, $"No route {sent.PathAndQuery} in this test."), "application/problem+json");
    });

    private Sent[] SentTo(string pathAndQuery, HttpMethod? method = null)
    {
        lock (_sent)
        {
            return [.. _sent.Where(s => s.PathAndQuery == pathAndQuery && (method is null || s.Method == method))];
        }
    }

    private static HttpResponseMessage Ok(object body) => FakeApi.Response(HttpStatusCode.OK, body);

    private static HttpResponseMessage Problem(HttpStatusCode status, object body) => FakeApi.Response(status, body, "application/problem+json");

    private void Use(FakeApi api)
    {
        Services.AddWebClients(api);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    // Each entry's "what" cell, its whitespace collapsed (a refunded spend ends in its badge).
    private static string[] Descriptions<T>(IRenderedComponent<T> page)
        where T : IComponent =>
        [.. page.FindAll("[data-testid=ledger-what]").Select(e => Collapse(e.TextContent))];

    private static string Collapse(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    [Fact]
    public void WalletPage_ShowsEachEntrysSourceInWords_AndLinksAQuestRewardToItsQuest()
    {
        Use(Api((method, path) => path switch
        {
            "/users/me/wallet" => Ok(new WalletBalance(105, 10, 5)),
            "/users/me/wallet/ledger?limit=50" => Ok(new LedgerPage([Adjustment, Refund, Spend, Claim, Opening], null)),
            _ => null,
        }));

        var page = Render<WalletPage>();

        page.WaitForAssertion(() => Assert.Equal(5, page.FindAll("[data-testid=ledger-entry]").Count));
        Assert.Equal(
            [
                "Adjusted by an admin: Apology for the outage",
                "Refund of “Sword of dawn”: Bought by mistake",
                "Spent: Sword of dawn refunded",
                "Quest reward: signin_three",
                "Opening balance",
            ],
            Descriptions(page));
        var link = page.Find("[data-testid=ledger-quest-link]");
        Assert.Equal($"./#quest-{QuestId}", link.GetAttribute("href"));
        Assert.Equal(["+5 gold", "+30 gold", "-30 gold", "+10 diamond", "+100 gold"],
            page.FindAll("[data-testid=ledger-amount]").Select(e => Collapse(e.TextContent)));
        Assert.Equal(["105", "100", "70", "10", "100"], page.FindAll("[data-testid=ledger-balance-after]").Select(e => e.TextContent));
        Assert.Equal("105", page.Find("[data-testid=balance-gold]").TextContent);
        Assert.Equal("10", page.Find("[data-testid=balance-diamond]").TextContent);
        Assert.Equal(new Wallet(105, 10), Services.GetRequiredService<WalletState>().Current);
        Assert.Empty(page.FindAll("[data-testid=ledger-more]"));
    }

    [Fact]
    public void WalletPage_LoadMore_AsksForTheOlderEntriesWithTheCursor_AndAddsThem()
    {
        Use(Api((method, path) => path switch
        {
            "/users/me/wallet" => Ok(new WalletBalance(105, 10, 5)),
            "/users/me/wallet/ledger?limit=50" => Ok(new LedgerPage([Adjustment, Refund], 17)),
            "/users/me/wallet/ledger?limit=50&before=17" => Ok(new LedgerPage([Spend, Claim, Opening], null)),
            _ => null,
        }));
        var page = Render<WalletPage>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=ledger-entry]").Count));
        // The refunded spend is older than the first page: the refund cannot name it yet.
        Assert.Equal("Refund of an earlier spend: Bought by mistake", Descriptions(page)[1]);

        page.Find("[data-testid=ledger-more]").Click();

        page.WaitForAssertion(() => Assert.Equal(5, page.FindAll("[data-testid=ledger-entry]").Count));
        Assert.Equal("Refund of “Sword of dawn”: Bought by mistake", Descriptions(page)[1]);
        Assert.Equal("Opening balance", Descriptions(page)[4]);
        Assert.Empty(page.FindAll("[data-testid=ledger-more]"));
        Assert.Single(SentTo("/users/me/wallet/ledger?limit=50&before=17"));
    }

    [Fact]
    public void WalletPage_NothingYet_SaysHowToEarn()
    {
        Use(Api((method, path) => path switch
        {
            "/users/me/wallet" => Ok(new WalletBalance(0, 0, 0)),
            "/users/me/wallet/ledger?limit=50" => Ok(new LedgerPage([], null)),
            _ => null,
        }));

        var page = Render<WalletPage>();

        page.WaitForAssertion(() => Assert.Contains("complete a quest", page.Find("[data-testid=ledger-empty]").TextContent, StringComparison.Ordinal));
    }

    // Bob's wallet as the admin finds it: a spend to refund, an opening balance.
    private Func<HttpMethod, string, HttpResponseMessage?> BobsWallet(Func<HttpMethod, string, HttpResponseMessage?>? writes = null) => (method, path) => path switch
    {
        "/admin/users?user_name=bob" => Ok(new[] { new UserProfile(Bob, "bob", "active", Roles.Player, 70, 0) }),
        "/admin/users?user_name=nobody" => Ok(Array.Empty<UserProfile>()),
        _ when path == $"/admin/users/{Bob}/wallet" => Ok(new WalletBalance(70, 0, 2)),
        _ when path == $"/admin/users/{Bob}/wallet/ledger?limit=50" && RefundDone => Ok(new LedgerPage([Refund with { BalanceAfter = 100 }, Spend, Opening], null)),
        _ when path == $"/admin/users/{Bob}/wallet/ledger?limit=50" => Ok(new LedgerPage([Spend, Opening], null)),
        _ => writes?.Invoke(method, path),
    };

    private bool RefundDone { get; set; }

    private IRenderedComponent<PlayerWalletsPage> FindPlayer(string userName)
    {
        var page = Render<PlayerWalletsPage>();
        page.Find("[data-testid=find-user-name]").Change(userName);
        page.Find("[data-testid=find-player] form").Submit();
        return page;
    }

    [Fact]
    public void PlayerWallets_FindAPlayer_ShowsTheirWalletAndLedger()
    {
        Use(Api(BobsWallet()));

        var page = FindPlayer("bob");

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=ledger-entry]").Count));
        Assert.Equal("70", page.Find("[data-testid=player-gold]").TextContent);
        Assert.Equal(["Spent: Sword of dawn", "Opening balance"], Descriptions(page));
        // Only the spend can be refunded.
        Assert.Single(page.FindAll("[data-testid=refund]"));
    }

    [Fact]
    public void PlayerWallets_NoSuchPlayer_SaysSo()
    {
        Use(Api(BobsWallet()));

        var page = FindPlayer("nobody");

        page.WaitForAssertion(() => Assert.Equal("No player is named nobody.", page.Find("[data-testid=player-not-found]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=player-wallet]"));
    }

    [Fact]
    public void PlayerWallets_AdjustTheApiRejects_ShowsItsMessagesByTheFields()
    {
        var problem = new
        {
            status = 400,
            errors = new Dictionary<string, string[]>
            {
                ["amount"] = ["amount must not be zero."],
                ["reason"] = ["reason is required."],
            },
        };
        Use(Api(BobsWallet((method, path) => path == $"/admin/users/{Bob}/wallet/adjust" ? Problem(HttpStatusCode.BadRequest, problem) : null)));
        var page = FindPlayer("bob");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=adjust-form]")));

        page.Find("[data-testid=adjust-amount]").Change("0");
        page.Find("[data-testid=adjust-form]").Submit();

        page.WaitForAssertion(() => Assert.Equal("amount must not be zero.", page.Find("[data-testid=error-amount]").TextContent));
        Assert.Equal("reason is required.", page.Find("[data-testid=error-reason]").TextContent);
        Assert.Equal("true", page.Find("#adjust-amount").GetAttribute("aria-invalid"));
        Assert.StartsWith("Please correct the fields marked below.", Collapse(page.Find("[data-testid=adjust-error]").TextContent), StringComparison.Ordinal);
        var sent = Assert.Single(SentTo($"/admin/users/{Bob}/wallet/adjust"));
        using var body = JsonDocument.Parse(sent.Body!);
        Assert.Equal("gold", body.RootElement.GetProperty("item").GetString());
        Assert.Equal(0, body.RootElement.GetProperty("amount").GetInt64());
        Assert.Equal(JsonValueKind.Null, body.RootElement.GetProperty("reason").ValueKind);
    }

    [Fact]
    public void PlayerWallets_Adjust_CreditsThePlayer_AndShowsTheNewBalanceAndEntry()
    {
        var adjusted = false;
        Use(Api((method, path) =>
        {
            if (path == $"/admin/users/{Bob}/wallet/adjust")
            {
                adjusted = true;
                return Ok(new WalletChange(Adjustment.EntryId, 75, 0, 3));
            }

            return path == $"/admin/users/{Bob}/wallet/ledger?limit=50" && adjusted
                ? Ok(new LedgerPage([Adjustment with { BalanceAfter = 75 }, Spend, Opening], null))
                : BobsWallet()(method, path);
        }));
        var page = FindPlayer("bob");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=adjust-form]")));

        page.Find("[data-testid=adjust-amount]").Change("5");
        page.Find("[data-testid=adjust-reason]").Change("  Apology for the outage ");
        page.Find("[data-testid=adjust-form]").Submit();

        page.WaitForAssertion(() => Assert.Equal("bob's gold adjusted by +5.", page.Find("[data-testid=wallet-notice]").TextContent));
        Assert.Equal("75", page.Find("[data-testid=player-gold]").TextContent);
        Assert.Equal("Adjusted by an admin: Apology for the outage", Descriptions(page)[0]);
        var sent = Assert.Single(SentTo($"/admin/users/{Bob}/wallet/adjust"));
        Assert.Equal("""{"item":"gold","amount":5,"reason":"Apology for the outage"}""", sent.Body);
        Assert.True(Guid.TryParse(sent.IdempotencyKey, out _), $"Idempotency-Key was {sent.IdempotencyKey ?? "missing"}");
        Assert.True(string.IsNullOrEmpty(page.Find("[data-testid=adjust-amount]").GetAttribute("value")), "the form starts over after a success");
    }

    [Fact]
    public void PlayerWallets_AdjustRetriedAfterNoAnswer_SendsTheSameIdempotencyKey_AndANewActionANewOne()
    {
        var attempts = 0;
        Use(new FakeApi(async request =>
        {
            if (request.RequestUri!.AbsolutePath == $"/admin/users/{Bob}/wallet/adjust")
            {
                lock (_sent)
                {
                    _sent.Add(new(request.Method, request.RequestUri.PathAndQuery, null, request.Headers.GetValues("Idempotency-Key").Single(), null));
                }

                // The first attempt reaches Auth but its answer never comes back.
                if (Interlocked.Increment(ref attempts) == 1)
                {
                    throw new HttpRequestException("The response ended prematurely.");
                }

                return Ok(new WalletChange(Guid.NewGuid(), 75, 0, 3));
            }

            await Task.CompletedTask;
            return BobsWallet()(request.Method, request.RequestUri.PathAndQuery)!;
        }));
        var page = FindPlayer("bob");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=adjust-form]")));
        page.Find("[data-testid=adjust-amount]").Change("5");
        page.Find("[data-testid=adjust-reason]").Change("Apology");
        page.Find("[data-testid=adjust-form]").Submit();
        page.WaitForAssertion(() => Assert.Contains("cannot be reached", page.Find("[data-testid=adjust-error]").TextContent, StringComparison.Ordinal));

        page.Find("[data-testid=adjust-error] button").Click();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=wallet-notice]")));
        page.Find("[data-testid=adjust-amount]").Change("5");
        page.Find("[data-testid=adjust-reason]").Change("Apology");
        page.Find("[data-testid=adjust-form]").Submit();
        page.WaitForAssertion(() => Assert.Equal(3, SentTo($"/admin/users/{Bob}/wallet/adjust").Length));

        var keys = SentTo($"/admin/users/{Bob}/wallet/adjust").Select(s => s.IdempotencyKey).ToArray();
        Assert.Equal(keys[0], keys[1]);
        Assert.NotEqual(keys[1], keys[2]);
    }

    [Fact]
    public void PlayerWallets_RefundASpend_SendsItWithTheReason_AndMarksItRefunded()
    {
        Use(Api(BobsWallet((method, path) =>
        {
            if (path != $"/admin/users/{Bob}/wallet/refund")
            {
                return null;
            }

            RefundDone = true;
            return Ok(new WalletChange(Refund.EntryId, 100, 0, 3));
        })));
        var page = FindPlayer("bob");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=refund]")));

        page.Find("[data-testid=refund]").Click();
        page.Find("[data-testid=refund-reason]").Change("Bought by mistake");
        page.Find("[data-testid=refund-form]").Submit();

        page.WaitForAssertion(() => Assert.Equal("Spend refunded to bob.", page.Find("[data-testid=wallet-notice]").TextContent));
        Assert.Equal("100", page.Find("[data-testid=player-gold]").TextContent);
        Assert.Equal("Refund of “Sword of dawn”: Bought by mistake", Descriptions(page)[0]);
        Assert.NotEmpty(page.FindAll("[data-testid=ledger-refunded]"));
        Assert.Empty(page.FindAll("[data-testid=refund]"));
        var sent = Assert.Single(SentTo($"/admin/users/{Bob}/wallet/refund"));
        Assert.Equal($$"""{"entry_id":"{{SpendId}}","reason":"Bought by mistake"}""", sent.Body);
        Assert.NotNull(sent.IdempotencyKey);
    }

    [Fact]
    public void PlayerWallets_RefundRefused_ShowsAuthsMessage()
    {
        Use(Api(BobsWallet((method, path) => path == $"/admin/users/{Bob}/wallet/refund"
            ? Problem(HttpStatusCode.Conflict, FakeApi.Problem(409, "That spend was refunded already."))
            : null)));
        var page = FindPlayer("bob");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=refund]")));

        page.Find("[data-testid=refund]").Click();
        page.Find("[data-testid=refund-reason]").Change("Twice?");
        page.Find("[data-testid=refund-form]").Submit();

        page.WaitForAssertion(() => Assert.Equal("That spend was refunded already.", page.Find("[data-testid=refund-error]").TextContent.Trim()));
        Assert.Empty(page.FindAll("[data-testid=wallet-notice]"));
    }

    [Fact]
    public void PlayerWallets_VerifyAll_ShowsTheMismatches()
    {
        Use(Api((method, path) => path == "/admin/wallets/verify"
            ? Ok(new WalletVerification(12, [new WalletMismatch(Bob, "gold", 70, 100)]))
            : null));
        var page = Render<PlayerWalletsPage>();

        page.Find("[data-testid=verify-all]").Click();

        page.WaitForAssertion(() => Assert.Contains("Checked 12 players: 1 balance is not the sum of the ledger.", page.Find("[data-testid=verify-mismatches]").TextContent, StringComparison.Ordinal));
        var row = Assert.Single(page.FindAll("[data-testid=verify-mismatch]"));
        Assert.Contains(Bob.ToString(), row.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spend_SendsItsKeyAndTheVersionSeen()
    {
        Use(Api((method, path) => path == "/users/me/wallet/spend" ? Ok(new WalletChange(Guid.NewGuid(), 70, 0, 3)) : null));
        var key = Guid.NewGuid();

        var result = await Services.GetRequiredService<AuthClient>().SpendAsync(new SpendRequest("gold", 30, "Sword of dawn"), key, TestContext.Current.CancellationToken, expectedVersion: 2);

        Assert.Equal(70, result.Value?.Gold);
        var sent = Assert.Single(SentTo("/users/me/wallet/spend", HttpMethod.Post));
        Assert.Equal(key.ToString(), sent.IdempotencyKey);
        Assert.Equal("\"2\"", sent.IfMatch);
        Assert.Equal("""{"item":"gold","qty":30,"reason":"Sword of dawn"}""", sent.Body);
    }
}
