using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using QuestAspire.Auth.Api.Contracts;
using QuestAspire.Auth.Api.Model;
using QuestAspire.Quests;
using QuestAspire.ServiceDefaults.Api;
using QuestAspire.Data;

namespace QuestAspire.Auth.Api.Apis;

/// <summary>
/// The signed-in player's wallet: its balances with their version as <c>ETag</c>, its ledger, and
/// spending. Spends are group-committed (<see cref="WalletWriter"/>): each checks the balance and
/// writes its ledger entry, and with an <c>Idempotency-Key</c> its answer is kept in the same
/// transaction, so a retry debits once.
/// </summary>
public static class WalletApi
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public static RouteGroupBuilder MapWalletApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/users/me/wallet").WithTags("Wallet").RequireAuthorization();
        api.MapGet("/", GetWalletAsync)
            .WithSummary("The signed-in player's balances and version (also the ETag; If-None-Match answers 304)")
            .Produces(StatusCodes.Status304NotModified);
        api.MapGet("/ledger", GetLedgerAsync).WithSummary("The signed-in player's ledger, newest first; next is the before of the next page");
        api.MapPost("/spend", SpendAsync)
            .WithSummary("Spend an item for a reason (Idempotency-Key and If-Match honoured)")
            .ProducesWalletChange(honoursIfMatch: true);
        return api;
    }

    /// <summary>The balances and version; <c>If-None-Match</c> with the current <c>ETag</c> answers 304.</summary>
    public static async Task<Results<Ok<WalletResponse>, StatusCodeHttpResult, NotFoundProblem>> GetWalletAsync(
        ClaimsPrincipal principal, HttpContext context, [AsParameters] AuthServices services, CancellationToken cancellationToken) =>
        await WalletAnswers.ReadWalletAsync(services.Db, principal.GetUserId(), context, cancellationToken);

    public static async Task<Results<Ok<LedgerPageResponse>, ValidationProblem>> GetLedgerAsync(
        ClaimsPrincipal principal, int? limit, long? before, [AsParameters] AuthServices services, CancellationToken cancellationToken) =>
        await WalletAnswers.ReadLedgerAsync(services.Db, principal.GetUserId(), limit, before, cancellationToken);

    /// <summary>
    /// Debits <c>qty</c> of an item for a reason. 409 when the balance is lower (nothing is
    /// written), 412 when <c>If-Match</c> names an older version, 422 when the key was sent with
    /// another request.
    /// </summary>
    public static async Task<IResult> SpendAsync(
        SpendRequest request, ClaimsPrincipal principal, HttpContext context, WalletWriter wallets, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var item = WalletRules.CheckItem(request.Item, errors);
        if (request.Qty is not > 0)
        {
            errors.Add("qty", "qty must be a whole number of at least 1.");
        }

        var reason = WalletRules.CheckReason(request.Reason, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var userId = principal.GetUserId();
        var change = new WalletChange(userId, item!.Value, -request.Qty!.Value, LedgerSource.Spend, reason);
        return await WalletAnswers.WriteAsync(wallets, context, userId.ToString(), request, change, cancellationToken);
    }
}

/// <summary>What the player's and the admin's wallet endpoints answer alike.</summary>
internal static class WalletAnswers
{
    public static async Task<Results<Ok<WalletResponse>, StatusCodeHttpResult, NotFoundProblem>> ReadWalletAsync(
        AuthDbContext db, Guid userId, HttpContext context, CancellationToken cancellationToken)
    {
        if (await db.GetWalletAsync(userId, cancellationToken) is not { } wallet)
        {
            return AuthAnswers.UserNotFound();
        }

        var etag = WalletRules.ETag(wallet.Version);
        context.Response.Headers.ETag = etag;
        return context.Request.Headers.IfNoneMatch.ToString() == etag
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Ok(WalletResponse.From(wallet));
    }

    public static async Task<Results<Ok<LedgerPageResponse>, ValidationProblem>> ReadLedgerAsync(
        AuthDbContext db, Guid userId, int? limit, long? before, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > WalletApi.MaxPageSize)
        {
            var errors = new FieldErrors();
            errors.Add("limit", $"limit must be from 1 to {WalletApi.MaxPageSize}.");
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var size = limit ?? WalletApi.DefaultPageSize;
        var entries = await db.Ledger.AsNoTracking()
            .Where(e => e.UserId == userId && (before == null || e.Sequence < before))
            .OrderByDescending(e => e.Sequence)
            .Take(size + 1)
            .ToListAsync(cancellationToken);
        var page = entries.Take(size).ToList();
        long? next = entries.Count > size ? page[^1].Sequence : null;
        return TypedResults.Ok(new LedgerPageResponse([.. page.Select(LedgerEntryResponse.From)], next));
    }

    /// <summary>
    /// Writes one change through the group commit (<see cref="WalletWriter"/>), honouring
    /// <c>If-Match</c> and, with its <c>Idempotency-Key</c>, keeping its answer under the key.
    /// <paramref name="request"/> is what the caller sent (route values included), hashed for the key.
    /// </summary>
    public static async Task<IResult> WriteAsync(
        WalletWriter wallets, HttpContext context, string scope, object request, WalletChange change, CancellationToken cancellationToken)
    {
        var (key, keyError) = Idempotency.Identify(context, scope, request);
        if (keyError is not null)
        {
            return keyError;
        }

        var write = new WalletWrite(change, WalletRules.ExpectedVersion(context.Request.Headers.IfMatch));
        return await wallets.WriteAsync(write, key, outcome => Answer(change, outcome), context, cancellationToken);
    }

    /// <summary>Applies one change on its own, in the caller's transaction, and answers it (a refund, which checks its spend first).</summary>
    public static async Task<IResult> ApplyAsync(AuthServices services, WalletChange change, CancellationToken cancellationToken)
    {
        var outcome = await services.Db.ApplyAsync(change, expectedVersion: null, services.Time.GetUtcNow(), cancellationToken);
        if (outcome.Applied)
        {
            services.Telemetry.WalletChanged(change);
        }

        return Answer(change, outcome);
    }

    /// <summary>200 with the entry and the wallet (and its <c>ETag</c>), or the refusal as a problem.</summary>
    public static IResult Answer(WalletChange change, WalletOutcome outcome)
    {
        if (outcome.Wallet is { } wallet)
        {
            return new WithETag(TypedResults.Ok(new WalletChangeResponse(outcome.EntryId, wallet.Gold, wallet.Diamond, wallet.Version)), wallet.Version);
        }

        var item = WalletRules.ItemName(change.Item);
        var current = outcome.Current;
        return outcome.Refusal switch
        {
            WalletRefusal.UserNotFound => AuthAnswers.UserNotFound(),
            WalletRefusal.StaleVersion => new PreconditionFailedProblem(
                $"The wallet is at version {current!.Version}, not the one If-Match names: read it again and decide again. Nothing was changed.", "Wallet changed"),
            WalletRefusal.InsufficientFunds => new ConflictProblem(
                $"Not enough {item}: the wallet holds {WalletOutcome.Balance(current!, change.Item)} and this takes {-change.Amount}. Nothing was changed.", "Insufficient funds"),
            _ => new ConflictProblem(
                $"This would take the {item} balance past the most a wallet holds. Nothing was changed.", "Wallet full"),
        };
    }

    /// <summary>A result with the wallet version's <c>ETag</c>, set by the result itself so that a kept answer keeps it too.</summary>
    private sealed class WithETag(IResult inner, long version) : IResult, INestedHttpResult
    {
        public IResult Result => inner;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.ETag = WalletRules.ETag(version);
            return inner.ExecuteAsync(httpContext);
        }
    }
}
