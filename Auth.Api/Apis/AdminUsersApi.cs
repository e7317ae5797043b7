using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using QuestAspire.Auth.Api.Contracts;
using QuestAspire.Auth.Api.Model;
using QuestAspire.Quests;
using QuestAspire.ServiceDefaults.Api;
using QuestAspire.Data;

namespace QuestAspire.Auth.Api.Apis;

/// <summary>
/// What admins do to accounts: create players in bulk (operators and the benchmark, past the
/// public sign-up limit), find one by name, ban and unban. Their wallets are <see cref="AdminWalletApi"/>.
/// </summary>
public static class AdminUsersApi
{
    public const int MaxUsersPerRequest = 1000;

    public static RouteGroupBuilder MapAdminUsersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/admin/users").WithTags("Admin").RequireAuthorization(Policies.Admin);
        api.MapPost("/", CreateUsersAsync).WithSummary($"Create 1 to {MaxUsersPerRequest} players at once, all or none");
        api.MapGet("/", FindUsersAsync).WithSummary("Find a player by user name (none or one)");

        // Bans keep the routes they were published with.
        var bans = app.MapGroup("/users/{userId:guid}").WithTags("Admin").RequireAuthorization(Policies.Admin);
        bans.MapPost("/ban", (Guid userId, [AsParameters] AuthServices services, CancellationToken ct) => SetBannedAsync(userId, true, services, ct))
            .WithSummary("Ban a player: sign-ins are refused and their tokens stop working");
        bans.MapPost("/unban", (Guid userId, [AsParameters] AuthServices services, CancellationToken ct) => SetBannedAsync(userId, false, services, ct))
            .WithSummary("Lift a player's ban");
        return api;
    }

    /// <summary>The player with that name (compared as sign-in compares names), as a list of none or one.</summary>
    public static async Task<Results<Ok<UserResponse[]>, ValidationProblem>> FindUsersAsync(
        [FromQuery(Name = "user_name")] string? userName, [AsParameters] AuthServices services, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(userName) || TextRules.FindUnstorable(userName, "user_name") is not null)
        {
            var errors = new FieldErrors();
            errors.Add("user_name", "user_name is required: the name to look up.");
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var key = UserRules.NormalizeKey(UserRules.Canonicalize(userName));
        var users = await services.Db.Users.AsNoTracking().Where(u => u.NormalizedUserName == key).ToListAsync(cancellationToken);
        return TypedResults.Ok(users.Select(UserResponse.From).ToArray());
    }

    private static async Task<Results<Ok<UserResponse>, NotFoundProblem>> SetBannedAsync(
        Guid userId, bool banned, AuthServices services, CancellationToken cancellationToken)
    {
        var user = await services.Db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return AuthAnswers.UserNotFound();
        }

        // A sign-in of the same player at the same moment changes its row version: read it again and retry.
        return await RowVersionRetry.RunAsync<Results<Ok<UserResponse>, NotFoundProblem>>(
            async () =>
            {
                if (banned ? user.Ban() : user.Unban())
                {
                    // The stamp changed: every token the player holds stops working, in every service.
                    await UserWrites.SaveWithStampChangeAsync(services, user, cancellationToken);
                    services.Logger.LogInformation("User {UserId} {Change}", user.Id, banned ? "banned" : "unbanned");
                }

                return TypedResults.Ok(UserResponse.From(user));
            },
            () => UserWrites.ReloadAsync(services, user, cancellationToken));
    }

    /// <summary>
    /// 1–1000 players, each validated and hashed like a sign-up, stored in one transaction: an
    /// invalid entry answers 400 and a taken name 409, naming the entries, and then nothing is written.
    /// </summary>
    public static async Task<Results<Created<CreateUsersResponse>, ValidationProblem, ConflictProblem>> CreateUsersAsync(
        CreateUsersRequest request, [AsParameters] AuthServices services, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (request.Users is not { Count: > 0 and <= MaxUsersPerRequest } entries)
        {
            errors.Add("users", $"Send 1 to {MaxUsersPerRequest} users.");
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i] is not { } entry)
            {
                errors.Add($"users[{i}]", "Each entry is an object with user_name and password.");
                continue;
            }

            errors.Add($"users[{i}].user_name", UserRules.ValidateUserName(entry.UserName));
            errors.Add($"users[{i}].password", UserRules.ValidatePassword(entry.Password));
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var names = entries.Select(e => UserRules.Canonicalize(e!.UserName!)).ToArray();
        var keys = names.Select(UserRules.NormalizeKey).ToArray();
        var taken = (await services.Db.Users.AsNoTracking()
            .Where(u => keys.Contains(u.NormalizedUserName))
            .Select(u => u.NormalizedUserName)
            .ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var conflicts = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < keys.Length; i++)
        {
            if (taken.Contains(keys[i]))
            {
                conflicts.Add($"users[{i}] '{names[i]}' is taken");
            }
            else if (!seen.Add(keys[i]))
            {
                conflicts.Add($"users[{i}] '{names[i]}' repeats an earlier entry");
            }
        }

        if (conflicts.Count > 0)
        {
            return new ConflictProblem($"Nothing was created: {string.Join("; ", conflicts)}.", "User name taken");
        }

        var now = services.Time.GetUtcNow();
        var users = names.Select(name => User.Create(name, Roles.Player, UserStatus.New, now)).ToArray();
        // As many hashes at once as sign-ins may run (one core is left to the rest), so a bulk
        // creation slows sign-ins down but cannot starve the event path.
        await Parallel.ForEachAsync(Enumerable.Range(0, users.Length),
            new ParallelOptions { MaxDegreeOfParallelism = services.PasswordGate.Concurrency, CancellationToken = cancellationToken },
            (i, _) =>
            {
                users[i].PasswordHash = services.Hasher.HashPassword(users[i], entries[i]!.Password!);
                return ValueTask.CompletedTask;
            });

        services.Db.Users.AddRange(users);
        try
        {
            await services.Db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Someone took one of the names meanwhile; the transaction wrote nothing.
            return new ConflictProblem("Nothing was created: a name was taken while the users were being created. Try again.", "User name taken");
        }

        services.Logger.LogInformation("An admin created {Count} users", users.Length);
        return TypedResults.Created("/admin/users", new CreateUsersResponse([.. users.Select(u => new CreatedUser(u.Id, u.UserName))]));
    }
}
