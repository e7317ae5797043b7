using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using QuestAspire.Auth.Api.Contracts;
using QuestAspire.Auth.Api.Model;
using QuestAspire.ServiceDefaults.Api;
using QuestAspire.Quests;
using QuestAspire.Data;

namespace QuestAspire.Auth.Api.Apis;

/// <summary>The signed-in player's own account: profile, reward claims, password, time zone (the wallet is <see cref="WalletApi"/>).</summary>
public static class MeApi
{
    public static RouteGroupBuilder MapMeApi(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/users/me").WithTags("Users").RequireAuthorization();
        me.MapGet("/", GetMeAsync).WithSummary("The signed-in player: profile, status and wallet");
        me.MapGet("/claims", GetMyClaimsAsync).WithSummary("The signed-in player's reward claims, newest first");
        me.MapPost("/claims/{claimId:guid}/claim", ClaimAsync)
            .WithSummary("Claim a pending reward into the wallet (Idempotency-Key honoured)")
            .Produces<ClaimResultResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        me.MapPut("/password", ChangePasswordAsync)
            .WithSummary("Change the password; every token issued before stops working")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        me.MapPut("/time-zone", SetTimeZoneAsync).WithSummary("Set the player's IANA time zone (quests reset and count days in it)");
        return me;
    }

    public static async Task<Results<Ok<UserResponse>, NotFoundProblem>> GetMeAsync(
        ClaimsPrincipal principal, [AsParameters] AuthServices services, CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        var user = await services.Db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        return user is null ? AuthAnswers.UserNotFound() : TypedResults.Ok(UserResponse.From(user));
    }

    public static async Task<Ok<ClaimResponse[]>> GetMyClaimsAsync(
        ClaimsPrincipal principal, [AsParameters] AuthServices services, CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        var claims = await services.Db.RewardClaims.AsNoTracking()
            .Where(c => c.UserId == userId)
            .OrderByDescending(c => c.CreatedAt)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(claims.Select(ClaimResponse.From).ToArray());
    }

    /// <summary>
    /// Claims a pending reward into the wallet: the ledger entry and the claim's new status in one
    /// transaction. The claim row is locked first, so of two simultaneous clicks one credits the
    /// wallet and the other sees it claimed (409); with one <c>Idempotency-Key</c>, both see the first answer.
    /// </summary>
    public static async Task<IResult> ClaimAsync(
        Guid claimId, ClaimsPrincipal principal, HttpContext context, [AsParameters] AuthServices services, CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        var db = services.Db;
        return await Idempotency.RunAsync(db, context, userId.ToString(), new { claim_id = claimId }, async ct =>
        {
            var claim = await db.RewardClaims
                .FromSql($"SELECT * FROM reward_claims WHERE claim_id = {claimId} AND user_id = {userId} FOR UPDATE")
                .SingleOrDefaultAsync(ct);
            if (claim is null)
            {
                return new NotFoundProblem($"You have no reward claim {claimId}.", "Claim not found");
            }

            if (claim.Status == ClaimStatus.Claimed)
            {
                return new ConflictProblem($"The reward of claim {claimId} was already credited to your wallet.", "Already claimed");
            }

            var now = services.Time.GetUtcNow();
            var outcome = await db.ApplyAsync(claim.Credit(), expectedVersion: null, now, ct);
            if (outcome.Wallet is not { } wallet)
            {
                return new ConflictProblem($"Claim {claimId} would take your {WalletRules.ItemName(claim.RewardItem)} past the most a wallet holds; nothing was credited.", "Wallet full");
            }

            claim.MarkClaimed(now);
            await db.SaveChangesAsync(ct);
            services.Telemetry.RewardCredited(claim);
            services.Logger.LogInformation("Claim {ClaimId} credited {Qty} {Item} to user {UserId}", claim.Id, claim.RewardQty, claim.RewardItem, userId);
            return TypedResults.Ok(new ClaimResultResponse(ClaimResponse.From(claim), WalletResponse.From(wallet)));
        }, services.Time, cancellationToken);
    }

    /// <summary>
    /// A new password for the signed-in player, given the current one. Every token issued before
    /// (this one included) stops working; the player signs in again.
    /// </summary>
    public static async Task<Results<NoContent, ValidationProblem, NotFoundProblem, ProblemHttpResult>> ChangePasswordAsync(
        ChangePasswordRequest request, ClaimsPrincipal principal, HttpContext context, [AsParameters] AuthServices services, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrEmpty(request.CurrentPassword))
        {
            errors.Add("current_password", "The current password is required.");
        }

        errors.Add("new_password", UserRules.ValidatePassword(request.NewPassword));
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var userId = principal.GetUserId();
        var user = await services.Db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return AuthAnswers.UserNotFound();
        }

        var (admitted, newHash) = await services.PasswordGate.RunAsync(
            () => services.Hasher.VerifyHashedPassword(user, user.PasswordHash, request.CurrentPassword!) == PasswordVerificationResult.Failed
                ? null
                : services.Hasher.HashPassword(user, request.NewPassword!),
            cancellationToken);
        if (!admitted)
        {
            return AuthAnswers.Shed(context);
        }

        if (newHash is null)
        {
            var wrong = new FieldErrors();
            wrong.Add("current_password", "The current password is not right.");
            return TypedResults.ValidationProblem(wrong.ToDictionary());
        }

        user.ChangePassword(newHash);
        await UserWrites.SaveWithStampChangeAsync(services, user, cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// The signed-in player's time zone, an IANA id matched without regard to case and stored in
    /// tzdb's spelling. The worker learns it from the <c>TimeZoneChanged</c> saved with it.
    /// </summary>
    public static async Task<Results<NoContent, ValidationProblem, NotFoundProblem>> SetTimeZoneAsync(
        TimeZoneRequest request, ClaimsPrincipal principal, [AsParameters] AuthServices services, CancellationToken cancellationToken)
    {
        if (QuestSchedule.CanonicalZoneId(request.TimeZone) is not { } zone)
        {
            var errors = new FieldErrors();
            errors.Add("time_zone", $"time_zone must be an IANA time zone id such as \"Europe/Berlin\" or \"UTC\" (at most {QuestSchedule.MaxZoneIdLength} characters).");
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var userId = principal.GetUserId();
        var user = await services.Db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return AuthAnswers.UserNotFound();
        }

        // A sign-in of the same player at the same moment changes its row version: read it again and retry.
        await RowVersionRetry.RunAsync(
            async () =>
            {
                if (user.ChangeTimeZone(zone))
                {
                    await UserWrites.SaveWithEventAsync(services, EventNames.TimeZoneChanged, user.Id, new TimeZoneChangedData(zone), cancellationToken);
                    services.Logger.LogInformation("User {UserId} set time zone {TimeZone}", user.Id, zone);
                }

                return true;
            },
            () => UserWrites.ReloadAsync(services, user, cancellationToken));
        return TypedResults.NoContent();
    }
}
