using Microsoft.EntityFrameworkCore;
using QuestAspire.Auth.Api.Model;

namespace QuestAspire.Auth.Api.Infrastructure;

/// <summary>
/// The lockout state of each account key, in Auth's database: it survives restarts and every
/// replica sees the same. Reads are one indexed lookup; only a failure or the first success
/// after failures writes.
/// </summary>
public sealed class SignInThrottles(AuthDbContext db, LockoutPolicy policy, TimeProvider time)
{
    public Task<SignInThrottle?> FindAsync(string userKey, CancellationToken cancellationToken) =>
        db.SignInThrottles.AsNoTracking().SingleOrDefaultAsync(t => t.UserKey == userKey, cancellationToken);

    /// <summary>Records a failed sign-in under a row lock, so that simultaneous failures all count.</summary>
    public Task RecordFailureAsync(string userKey, CancellationToken cancellationToken) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var now = time.GetUtcNow();
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO sign_in_throttles (user_key, failures, window_started_at, lockouts)
                VALUES ({userKey}, 0, {now}, 0) ON CONFLICT (user_key) DO NOTHING
                """, ct);
            var throttle = await db.SignInThrottles
                .FromSql($"SELECT * FROM sign_in_throttles WHERE user_key = {userKey} FOR UPDATE")
                .SingleAsync(ct);
            policy.RecordFailure(throttle, now);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }, cancellationToken);

    /// <summary>A success forgets the failures (and the lockouts before them).</summary>
    public Task ResetAsync(string userKey, CancellationToken cancellationToken) =>
        db.SignInThrottles.Where(t => t.UserKey == userKey).ExecuteDeleteAsync(cancellationToken);
}
