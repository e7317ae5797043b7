using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using QuestAspire.Auth.Api.Model;
using QuestAspire.Data;

namespace QuestAspire.Auth.Api.Infrastructure;

/// <summary>Seeds the default player (<c>user</c> / <c>password</c>, status new) and the admin account.</summary>
public sealed class AuthSeeder(IPasswordHasher<User> hasher, IOptions<AuthOptions> options, TimeProvider time, ILogger<AuthSeeder> logger) : IDbSeeder<AuthDbContext>
{
    public const string DefaultUserName = "user";
    public const string DefaultPassword = "password";
    public const string AdminUserName = "admin";

    public async Task SeedAsync(AuthDbContext context, CancellationToken cancellationToken)
    {
        await LogRenamesAsync(context, cancellationToken);
        await AddIfMissingAsync(context, DefaultUserName, DefaultPassword, Roles.Player, UserStatus.New, cancellationToken);
        await AddIfMissingAsync(context, AdminUserName, options.Value.AdminPassword, Roles.Admin, UserStatus.Active, cancellationToken);
    }

    // The migration that made names unique regardless of case renamed look-alikes; say so once.
    private async Task LogRenamesAsync(AuthDbContext context, CancellationToken cancellationToken)
    {
        var renames = await context.UserNameRenames.Where(r => !r.Logged).ToListAsync(cancellationToken);
        foreach (var rename in renames)
        {
            logger.LogWarning("User {UserId} was renamed from {OldName} to {NewName}: another account had the same name up to case", rename.UserId, rename.OldName, rename.NewName);
            rename.Logged = true;
        }

        await context.SaveChangesAsync(cancellationToken);
    }

    private async Task AddIfMissingAsync(AuthDbContext context, string userName, string password, string role, UserStatus status, CancellationToken cancellationToken)
    {
        var key = UserRules.NormalizeKey(userName);
        if (await context.Users.AnyAsync(u => u.NormalizedUserName == key, cancellationToken))
        {
            return;
        }

        var user = User.Create(userName, role, status, time.GetUtcNow());
        user.PasswordHash = hasher.HashPassword(user, password);
        context.Users.Add(user);
        try
        {
            await context.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another replica may have seeded it first; anything else is a real failure.
            context.ChangeTracker.Clear();
            if (!await context.Users.AnyAsync(u => u.NormalizedUserName == key, cancellationToken))
            {
                throw;
            }
        }
    }
}
