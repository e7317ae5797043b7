using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using QuestAspire.Auth.Api.Contracts;
using QuestAspire.Auth.Api.Model;
using QuestAspire.Quests;
using QuestAspire.ServiceDefaults.Api;
using QuestAspire.Data;

namespace QuestAspire.Auth.Api.Apis;

/// <summary>
/// Admins and players' wallets: read one and its ledger, adjust a balance saying why, refund a
/// spend, and verify that every balance is the sum of its ledger. Each change is a ledger entry
/// that names the admin; adjustments and refunds honour <c>Idempotency-Key</c>.
/// </summary>
public static class AdminWalletApi
{
    public static RouteGroupBuilder MapAdminWalletApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin").WithTags("Admin").RequireAuthorization(Policies.Admin);
        var wallet = admin.MapGroup("/users/{userId:guid}/wallet");
        wallet.MapGet("/", (Guid userId, HttpContext context, [AsParameters] AuthServices services, CancellationToken ct) =>
            WalletAnswers.ReadWalletAsync(services.Db, userId, context, ct))
            .WithSummary("A player's balances and version")
            .Produces<WalletResponse>()
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);
        wallet.MapGet("/ledger", (Guid userId, int? limit, long? before, [AsParameters] AuthServices services, CancellationToken ct) =>
            WalletAnswers.ReadLedgerAsync(services.Db, userId, limit, before, ct))
            .WithSummary("A player's ledger, newest first")
            .Produces<LedgerPageResponse>()
            .ProducesValidationProblem();
        wallet.MapPost("/adjust", AdjustAsync)
            .WithSummary("Credit or debit a player's balance, saying why (Idempotency-Key and If-Match honoured)")
            .ProducesWalletChange(honoursIfMatch: true);
        wallet.MapPost("/refund", RefundAsync)
            .WithSummary("Refund one spend of a player, once (Idempotency-Key honoured)")
            .ProducesWalletChange(honoursIfMatch: false);
        admin.MapGet("/wallets/verify", VerifyAsync).WithSummary("Check that every balance (or one player's) is the sum of its ledger");
        return admin;
    }

    /// <summary>Credits (a positive amount) or debits (negative) a player's balance; a debit past the balance is 409.</summary>
    public static async Task<IResult> AdjustAsync(
        Guid userId, AdjustRequest request, ClaimsPrincipal principal, HttpContext context, [AsParameters] AuthServices services, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var item = WalletRules.CheckItem(request.Item, errors);
        if (request.Amount is null or 0)
        {
            errors.Add("amount", "amount must be a non-zero whole number: positive credits the wallet, negative debits it.");
        }

        var reason = WalletRules.CheckReason(request.Reason, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var adminId = principal.GetUserId();
        var change = new WalletChange(userId, item!.Value, request.Amount!.Value, LedgerSource.AdminAdjustment, reason, ActorId: adminId);
        return await WalletAnswers.WriteAsync(services.Wallets, context, adminId.ToString(), new { user_id = userId, request }, change, cancellationToken);
    }

    /// <summary>Gives back one spend of the player: a credit of what it took, once (a second refund of it is 409).</summary>
    public static async Task<IResult> RefundAsync(
        Guid userId, RefundRequest request, ClaimsPrincipal principal, HttpContext context, [AsParameters] AuthServices services, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (request.EntryId is null || request.EntryId == Guid.Empty)
        {
            errors.Add("entry_id", "entry_id is required: the ledger entry of the spend to refund.");
        }

        var reason = WalletRules.CheckReason(request.Reason, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var adminId = principal.GetUserId();
        var entryId = request.EntryId!.Value;
        var db = services.Db;
        return await Idempotency.RunAsync(db, context, adminId.ToString(), new { user_id = userId, request }, async ct =>
        {
            // Locking the spend's entry (the ledger is never updated, so nothing else waits on it) makes two refunds of it take turns.
            var spend = await db.Ledger.FromSql($"SELECT * FROM wallet_ledger WHERE entry_id = {entryId} AND user_id = {userId} FOR UPDATE").SingleOrDefaultAsync(ct);
            if (spend is null)
            {
                return new NotFoundProblem($"The player has no ledger entry {entryId}.", "Entry not found");
            }

            if (spend.Source != LedgerSource.Spend)
            {
                return new ConflictProblem($"Entry {entryId} is a {WalletRules.SourceName(spend.Source)}, not a spend: only spends are refunded.", "Not a spend");
            }

            if (await db.Ledger.AnyAsync(e => e.Source == LedgerSource.Refund && e.ReferenceId == entryId, ct))
            {
                return new ConflictProblem($"Spend {entryId} was refunded already.", "Already refunded");
            }

            var change = new WalletChange(userId, spend.Item, -spend.Amount, LedgerSource.Refund, reason, ReferenceId: entryId, ActorId: adminId);
            return await WalletAnswers.ApplyAsync(services, change, ct);
        }, services.Time, cancellationToken);
    }

    /// <summary>Checks one player (<c>user_id</c>) or every player: each balance must be the sum of its ledger entries.</summary>
    public static async Task<Ok<WalletVerificationResponse>> VerifyAsync(
        [FromQuery(Name = "user_id")] Guid? userId, [AsParameters] AuthServices services, CancellationToken cancellationToken)
    {
        var (players, mismatches) = await services.Db.FindMismatchesAsync(userId, cancellationToken);
        if (mismatches.Count > 0)
        {
            services.Logger.LogError("{Count} wallet balance(s) differ from their ledger", mismatches.Count);
        }

        return TypedResults.Ok(new WalletVerificationResponse(players,
            [.. mismatches.Select(m => new WalletMismatchResponse(m.UserId, m.Item.ToLowerInvariant(), m.Balance, m.LedgerSum))]));
    }
}
