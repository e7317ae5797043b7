using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using QuestAspire.Auth.Api.Contracts;
using QuestAspire.Auth.Api.Model;
using QuestAspire.ServiceDefaults.Api;

namespace QuestAspire.Auth.Api.Apis;

public static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/users").WithTags("Users");
        api.MapPost("/signup", SignUpAsync);

        var me = api.MapGroup("/me").RequireAuthorization();
        me.MapGet("/", GetMeAsync);
        me.MapGet("/claims", GetMyClaimsAsync);
        me.MapPost("/claims/{claimId:guid}/claim", ClaimAsync);

        var admin = api.MapGroup("/{userId:guid}").RequireAuthorization(Policies.Admin);
        admin.MapPost("/ban", (Guid userId, [AsParameters] AuthServices services, CancellationToken ct) => SetBannedAsync(userId, true, services, ct));
        admin.MapPost("/unban", (Guid userId, [AsParameters] AuthServices services, CancellationToken ct) => SetBannedAsync(userId, false, services, ct));
        return api;
    }

    public static async Task<Results<Created<UserResponse>, ValidationProblem, ConflictProblem, ProblemHttpResult>> SignUpAsync(
        SignUpRequest request, HttpContext context, [AsParameters] AuthServices services, CancellationToken cancellationToken)
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

        var userName = UserRules.Canonicalize(request.UserName!);
        var user = User.Create(userName, Roles.Player, UserStatus.New, services.Time.GetUtcNow());
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
            return new ConflictProblem($"The user name '{userName}' is taken.", "User name taken");
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
            claim.ClaimInto(user, services.Time.GetUtcNow());
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

        if (banned)
        {
            user.Ban();
        }
        else
        {
            user.Unban();
        }

        await services.Db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(UserResponse.From(user));
    }

    private static NotFoundProblem UserNotFound() => new("No user has that id.", "User not found");
}
