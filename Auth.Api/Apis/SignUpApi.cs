using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using QuestAspire.Auth.Api.Contracts;
using QuestAspire.Auth.Api.Model;
using QuestAspire.Quests;
using QuestAspire.ServiceDefaults.Api;

namespace QuestAspire.Auth.Api.Apis;

/// <summary>Anyone may sign up (<c>POST /users/signup</c>), within the per-address sign-up limit.</summary>
public static class SignUpApi
{
    public static RouteGroupBuilder MapSignUpApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/users").WithTags("Users");
        // Endpoint metadata as everywhere (OpenApiDefaults): a summary each, ProducesProblem for the
        // statuses the result type does not name; auth is documented from RequireAuthorization.
        api.MapPost("/signup", SignUpAsync)
            .WithSummary("Sign up a new player")
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return api;
    }

    public static async Task<Results<Created<UserResponse>, ValidationProblem, ConflictProblem, ProblemHttpResult>> SignUpAsync(
        SignUpRequest request, HttpContext context, [AsParameters] AuthServices services, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        errors.Add("user_name", UserRules.ValidateUserName(request.UserName));
        errors.Add("password", UserRules.ValidatePassword(request.Password));
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (services.SignUpLimiter.TryAcquire(AuthAnswers.ClientAddress(context)) is { } wait)
        {
            return AuthAnswers.TooMany(context, "sign-ups", AuthAnswers.RetryAfterSeconds(wait));
        }

        var user = User.Create(UserRules.Canonicalize(request.UserName!), Roles.Player, UserStatus.New, services.Time.GetUtcNow());
        var (admitted, hash) = await services.PasswordGate.RunAsync(() => services.Hasher.HashPassword(user, request.Password!), cancellationToken);
        if (!admitted)
        {
            return AuthAnswers.Shed(context);
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

    private static ConflictProblem NameTaken(string userName) => new($"The user name '{userName}' is taken.", "User name taken");
}
