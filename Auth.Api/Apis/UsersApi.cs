using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using QuestAspire.Auth.Api.Contracts;
using QuestAspire.Auth.Api.Model;
using QuestAspire.Auth.Api.Services;
using QuestAspire.ServiceDefaults.Api;
using QuestAspire.ServiceDefaults.Messaging;
using QuestAspire.ServiceDefaults.Quests;

namespace QuestAspire.Auth.Api.Apis;

public static class UsersApi
{

    public static RouteGroupBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        // Endpoint metadata as everywhere (OpenApiDefaults): a summary each, ProducesProblem for the
        // statuses the result type does not name; auth is documented from RequireAuthorization.
        var api = app.MapGroup("/users").WithTags("Users");
        api.MapPost("/signup", SignUpAsync)
            .WithSummary("Sign up a new player")
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        var me = api.MapGroup("/me").RequireAuthorization();
        me.MapGet("/", GetMeAsync).WithSummary("The signed-in player: profile, status and wallet");
        me.MapGet("/claims", GetMyClaimsAsync).WithSummary("The signed-in player's reward claims, newest first");
        me.MapPost("/claims/{claimId:guid}/claim", ClaimAsync).WithSummary("Claim a pending reward into the wallet");
        me.MapPut("/password", ChangePasswordAsync)
            .WithSummary("Change the password; every token issued before stops working")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        me.MapPut("/time-zone", SetTimeZoneAsync).WithSummary("Set the player's IANA time zone (quests reset and count days in it)");

        var admin = api.MapGroup("/{userId:guid}").RequireAuthorization(Policies.Admin);
        admin.MapPost("/ban", (Guid userId, [AsParameters] AuthServices services, CancellationToken ct) => SetBannedAsync(userId, true, services, ct))
            .WithSummary("Ban a player: sign-ins are refused and their tokens stop working");
        admin.MapPost("/unban", (Guid userId, [AsParameters] AuthServices services, CancellationToken ct) => SetBannedAsync(userId, false, services, ct))
            .WithSummary("Lift a player's ban");
        return api;
    }

    public static async Task<Results<Created<UserResponse>, ValidationProblem, ConflictProblem, ProblemHttpResult>> SignUpAsync(
        SignUpRequest request, HttpContext context, SignUpLimiter limiter, [AsParameters] AuthServices services, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (UserRules.ValidateUserName(request.UserName).ToArray() is { Length: > 0 } nameErrors)
        {
            errors["user_name"] = nameErrors;
        }

        if (UserRules.ValidatePassword(request.Password).ToArray() is { Length: > 0 } passwordErrors)
        {
            errors["password"] = passwordErrors;
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (limiter.TryAcquire(LoginApi.ClientAddress(context)) is { } wait)
        {
            return LoginApi.TooMany(context, "sign-ups", LoginApi.RetryAfterSeconds(wait));
        }

        var user = User.Create(UserRules.Canonicalize(request.UserName!), Roles.Player, UserStatus.New, services.Time.GetUtcNow());
        var (admitted, hash) = await services.PasswordGate.RunAsync(() => services.Hasher.HashPassword(user, request.Password!), cancellationToken);
        if (!admitted)
        {
            return LoginApi.Shed(context);
        }

        user.PasswordHash = hash;
        services.Db.Users.Add(user);
        try
        {
            await services.Db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return NameTaken(user.UserName);
        }

        return TypedResults.Created($"/users/{user.Id}", UserResponse.From(user));
    }

    public static async Task<Results<Ok<UserResponse>, NotFoundProblem>> GetMeAsync(
        ClaimsPrincipal principal, [AsParameters] AuthServices services, CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        var user = await services.Db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        return user is null ? UserNotFound() : TypedResults.Ok(UserResponse.From(user));
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
    /// Claims a pending reward into the wallet. The claim row is locked first, so of two
    /// simultaneous clicks one credits the wallet and the other sees it claimed (409).
    /// </summary>
    public static async Task<Results<Ok<ClaimResultResponse>, NotFoundProblem, ConflictProblem>> ClaimAsync(
        Guid claimId, ClaimsPrincipal principal, [AsParameters] AuthServices services, CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        var db = services.Db;
        // EF's retrying strategy (on in the Aspire integration) runs the transaction as one retriable unit.
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);

            var claim = await db.RewardClaims
                .FromSql($"SELECT * FROM reward_claims WHERE claim_id = {claimId} AND user_id = {userId} FOR UPDATE")
                .SingleOrDefaultAsync(ct);
            if (claim is null)
            {
                return (Results<Ok<ClaimResultResponse>, NotFoundProblem, ConflictProblem>)new NotFoundProblem($"You have no reward claim {claimId}.", "Claim not found");
            }

            if (claim.Status == ClaimStatus.Claimed)
            {
                return new ConflictProblem($"The reward of claim {claimId} was already credited to your wallet.", "Already claimed");
            }

            var user = await db.Users
                .FromSql($"SELECT *, xmin FROM users WHERE user_id = {userId} FOR UPDATE") // xmin: the row version is a system column
                .SingleAsync(ct);
            try
            {
                claim.ClaimInto(user, services.Time.GetUtcNow());
            }
            catch (OverflowException)
            {
                return new ConflictProblem($"Claim {claimId} would take your {claim.RewardItem.ToString().ToLowerInvariant()} past the most a wallet holds; nothing was credited.", "Wallet full");
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);

            services.Telemetry.RewardCredited(claim);
            services.Logger.LogInformation("Claim {ClaimId} credited {Qty} {Item} to user {UserId}", claim.Id, claim.RewardQty, claim.RewardItem, userId);
            return TypedResults.Ok(new ClaimResultResponse(ClaimResponse.From(claim), new WalletResponse(user.Gold, user.Diamond)));
        }, cancellationToken);
    }

    private static async Task<Results<Ok<UserResponse>, NotFoundProblem>> SetBannedAsync(
        Guid userId, bool banned, AuthServices services, CancellationToken cancellationToken)
    {
        var user = await services.Db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return UserNotFound();
        }

        // A sign-in of the same player at the same moment changes its row version: read it again and retry.
        for (var attempt = 1; ; attempt++)
        {
            var changed = banned ? user.Ban() : user.Unban();
            if (!changed)
            {
                return TypedResults.Ok(UserResponse.From(user));
            }

            try
            {
                // The stamp changed: every token the player holds stops working, in every service.
                await SaveWithStampChangeAsync(services, user, cancellationToken);
                services.Logger.LogInformation("User {UserId} {Change}", user.Id, banned ? "banned" : "unbanned");
                return TypedResults.Ok(UserResponse.From(user));
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
                services.Db.ChangeTracker.Clear();
                user = await services.Db.Users.SingleAsync(u => u.Id == userId, cancellationToken);
            }
        }
    }

    /// <summary>
    /// A new password for the signed-in player, given the current one. Every token issued before
    /// (this one included) stops working; the player signs in again.
    /// </summary>
    public static async Task<Results<NoContent, ValidationProblem, NotFoundProblem, ProblemHttpResult>> ChangePasswordAsync(
        ChangePasswordRequest request, ClaimsPrincipal principal, HttpContext context, [AsParameters] AuthServices services, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(request.CurrentPassword))
        {
            errors["current_password"] = ["The current password is required."];
        }

        if (UserRules.ValidatePassword(request.NewPassword).ToArray() is { Length: > 0 } passwordErrors)
        {
            errors["new_password"] = passwordErrors;
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var userId = principal.GetUserId();
        var user = await services.Db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return UserNotFound();
        }

        var (admitted, newHash) = await services.PasswordGate.RunAsync(
            () => services.Hasher.VerifyHashedPassword(user, user.PasswordHash, request.CurrentPassword!) == PasswordVerificationResult.Failed
                ? null
                : services.Hasher.HashPassword(user, request.NewPassword!),
            cancellationToken);
        if (!admitted)
        {
            return LoginApi.Shed(context);
        }

        if (newHash is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["current_password"] = ["The current password is not right."] });
        }

        user.ChangePassword(newHash);
        await SaveWithStampChangeAsync(services, user, cancellationToken);
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
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["time_zone"] = [$"time_zone must be an IANA time zone id such as \"Europe/Berlin\" or \"UTC\" (at most {QuestSchedule.MaxZoneIdLength} characters)."],
            });
        }

        var userId = principal.GetUserId();
        var user = await services.Db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        // A sign-in of the same player at the same moment changes its row version: read it again and retry.
        for (var attempt = 1; user is not null; attempt++)
        {
            if (!user.ChangeTimeZone(zone))
            {
                return TypedResults.NoContent();
            }

            try
            {
                await SaveWithEventAsync(services, MessagingNames.TimeZoneChanged, user.Id, new TimeZoneChangedData(zone), cancellationToken);
                services.Logger.LogInformation("User {UserId} set time zone {TimeZone}", user.Id, zone);
                return TypedResults.NoContent();
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
                services.Db.ChangeTracker.Clear();
                user = await services.Db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
            }
        }

        return UserNotFound();
    }

    /// <summary>Saves the user with, in the same transaction, the event that tells every service its new stamp.</summary>
    public static Task SaveWithStampChangeAsync(AuthServices services, User user, CancellationToken cancellationToken) =>
        SaveWithEventAsync(services, MessagingNames.SecurityStampChanged, user.Id, new SecurityStampChangedData(user.SecurityStamp), cancellationToken);

    /// <summary>Saves the tracked changes and, in the same transaction, an event about the user in the outbox.</summary>
    private static async Task SaveWithEventAsync(AuthServices services, string eventType, Guid userId, object data, CancellationToken cancellationToken)
    {
        var now = services.Time.GetUtcNow();
        var changed = IntegrationEvent.Create(eventType, userId, now, data);
        services.Db.OutboxMessages.Add(OutboxMessage.Create(changed, now));
        await services.Db.SaveChangesAsync(cancellationToken);
        services.OutboxSignal.Notify();
    }

    public static ConflictProblem NameTaken(string userName) => new($"The user name '{userName}' is taken.", "User name taken");

    private static NotFoundProblem UserNotFound() => new("No user has that id.", "User not found");
}
