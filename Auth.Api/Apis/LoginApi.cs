using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using QuestAspire.Auth.Api.Contracts;
using QuestAspire.Auth.Api.Model;
using QuestAspire.Quests;
using QuestAspire.Data;
using QuestAspire.EventBus;

namespace QuestAspire.Auth.Api.Apis;

public static class LoginApi
{
    public const string SignInRateLimitPolicy = "sign-in";
    private const string InvalidCredentials = "Incorrect user name or password.";

    public static RouteGroupBuilder MapLoginApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/login").WithTags("Login");
        api.MapPost("/access-token", SignInAsync)
            .DisableAntiforgery()
            .RequireRateLimiting(SignInRateLimitPolicy)
            .WithSummary("Sign in: user name and password for a bearer token")
            .WithDescription("The first sign-in of a player publishes NewUserSignIn, later ones UserSignIn. "
                + "Wrong credentials answer 400 (the same for an unknown name); repeated failures lock the account (429 with Retry-After).")
            .Accepts<SignInForm>("application/x-www-form-urlencoded")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return api;
    }

    /// <summary>
    /// OAuth2 password form (<c>username</c>, <c>password</c>) → a bearer token. The user's
    /// status change and the sign-in event are written in one transaction (the outbox).
    /// </summary>
    public static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> SignInAsync(
        HttpRequest request, [AsParameters] AuthServices services, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            return TypedResults.Problem(
                "Send the credentials as a form (application/x-www-form-urlencoded) with 'username' and 'password'.",
                statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        var form = await request.ReadFormAsync(cancellationToken);
        var userName = form["username"].ToString();
        var password = form["password"].ToString();
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(userName))
        {
            errors.Add("username", "A user name is required.");
        }
        else if (TextRules.FindUnstorable(userName, "username") is { } badName)
        {
            errors.Add("username", badName); // refused before the lookup: Postgres cannot compare a NUL
        }

        if (string.IsNullOrEmpty(password))
        {
            errors.Add("password", "A password is required.");
        }
        else if (TextRules.FindUnstorable(password, "password") is { } badPassword)
        {
            errors.Add("password", badPassword);
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        userName = UserRules.Canonicalize(userName);

        using var activity = services.Telemetry.ActivitySource.StartActivity("sign-in");
        // Known or not, a name is throttled the same way, so answers and timing never tell
        // whether an account exists.
        var userKey = UserRules.NormalizeKey(userName);
        if (userKey.Length > UserRules.MaxSignInNameLength)
        {
            return TypedResults.Problem(InvalidCredentials, statusCode: StatusCodes.Status400BadRequest);
        }

        var throttle = await services.Throttles.FindAsync(userKey, cancellationToken);
        if (services.Lockout.LockedFor(throttle, services.Time.GetUtcNow()) is { } lockedFor)
        {
            services.Telemetry.SignInRefused("locked");
            return AuthAnswers.LockedOut(request.HttpContext, lockedFor);
        }

        var user = await services.Db.Users.SingleOrDefaultAsync(u => u.NormalizedUserName == userKey, cancellationToken);
        // An unknown name is hashed too, so the answer takes as long as for a wrong password.
        var (admitted, verification) = await services.PasswordGate.RunAsync(() => user is null
            ? Unknown(services.Hasher.HashPassword(User.Create(userName, Roles.Player, UserStatus.New, services.Time.GetUtcNow()), password))
            : services.Hasher.VerifyHashedPassword(user, user.PasswordHash, password), cancellationToken);
        if (!admitted)
        {
            return AuthAnswers.Shed(request.HttpContext);
        }

        if (user is null || verification == PasswordVerificationResult.Failed)
        {
            await services.Throttles.RecordFailureAsync(userKey, cancellationToken);
            services.Telemetry.SignInRefused("credentials");
            return TypedResults.Problem(InvalidCredentials, statusCode: StatusCodes.Status400BadRequest);
        }

        if (throttle is not null)
        {
            await services.Throttles.ResetAsync(userKey, cancellationToken);
        }

        activity?.SetTag("user.id", user.Id);
        if (user.IsBanned)
        {
            return TypedResults.Problem("This account is banned.", statusCode: StatusCodes.Status403Forbidden);
        }

        if (verification == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = services.Hasher.HashPassword(user, password);
        }

        var signIn = await RecordSignInAsync(services, user, cancellationToken);
        activity?.SetTag("event.id", signIn.EventId);
        activity?.SetTag("event.type", signIn.EventType);
        services.Logger.LogInformation("{EventType} {EventId} for user {UserId}", signIn.EventType, signIn.EventId, user.Id);

        var (token, lifetime) = services.Tokens.CreateToken(user);
        return TypedResults.Ok(new TokenResponse(token, "bearer", (int)lifetime.TotalSeconds));
    }

    private static PasswordVerificationResult Unknown(string _) => PasswordVerificationResult.Failed;

    // A concurrent sign-in of the same user changes its row version: read it again and retry,
    // so exactly one of two simultaneous first sign-ins is the NewUserSignIn.
    private static Task<IntegrationEvent> RecordSignInAsync(AuthServices services, User user, CancellationToken cancellationToken) =>
        RowVersionRetry.RunAsync(
            async () =>
            {
                var now = services.Time.GetUtcNow();
                var first = user.RecordSignIn();
                var signIn = IntegrationEvent.Create(first ? EventNames.NewUserSignIn : EventNames.UserSignIn, user.Id, now);
                services.Db.OutboxMessages.Add(OutboxMessage.Create(signIn, now));
                await services.Db.SaveChangesAsync(cancellationToken);
                services.OutboxSignal.Notify();
                services.Telemetry.SignedIn(signIn.EventType);
                return signIn;
            },
            () => UserWrites.ReloadAsync(services, user, cancellationToken));
}
