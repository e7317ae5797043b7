using System.ComponentModel.DataAnnotations;

namespace QuestAspire.Auth.Api.Model;

/// <summary>How many wrong passwords an account takes, and for how long it then refuses every attempt.</summary>
public sealed class SignInLockoutOptions
{
    public const string SectionName = "Auth:Lockout";

    /// <summary>Failed sign-ins within <see cref="Window"/> that lock the account.</summary>
    [Range(1, 1000)]
    public int MaxFailures { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The first lockout; each further one (without a success in between) lasts twice as long.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(1);

    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A lockout this long ago no longer makes the next one longer.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan Memory { get; set; } = TimeSpan.FromDays(1);
}

/// <summary>
/// The failed sign-ins of one account key (the normalized user name, whether or not such a user
/// exists, so that an unknown name answers exactly like a known one).
/// </summary>
public sealed class SignInThrottle
{
    public string UserKey { get; set; } = "";

    /// <summary>Failures since <see cref="WindowStartedAt"/>.</summary>
    public int Failures { get; set; }

    public DateTimeOffset WindowStartedAt { get; set; }

    public DateTimeOffset? LockedUntil { get; set; }

    /// <summary>Lockouts in a row (no success in between, none forgotten yet): each doubles the next.</summary>
    public int Lockouts { get; set; }

    public DateTimeOffset? LastLockedAt { get; set; }
}

/// <summary>The lockout rule, pure: what a failure does to an account's throttle, and whether it is locked now.</summary>
public sealed class LockoutPolicy(SignInLockoutOptions options)
{
    /// <summary>How long the account still refuses every attempt; null when it is not locked.</summary>
    public TimeSpan? LockedFor(SignInThrottle? throttle, DateTimeOffset now) =>
        throttle?.LockedUntil is { } until && until > now ? until - now : null;

    /// <summary>Records a failed sign-in; true when this failure locked the account.</summary>
    public bool RecordFailure(SignInThrottle throttle, DateTimeOffset now)
    {
        if (throttle.LastLockedAt is { } last && now - last >= options.Memory)
        {
            throttle.Lockouts = 0;
        }

        if (throttle.Failures == 0 || now - throttle.WindowStartedAt >= options.Window)
        {
            throttle.Failures = 0;
            throttle.WindowStartedAt = now;
        }

        throttle.Failures++;
        if (throttle.Failures < options.MaxFailures)
        {
            return false;
        }

        throttle.LockedUntil = now + LockoutDuration(throttle.Lockouts);
        throttle.LastLockedAt = now;
        throttle.Lockouts++;
        throttle.Failures = 0;
        return true;
    }

    /// <summary>The n-th lockout in a row (from 0): the base duration doubled n times, at most the maximum.</summary>
    public TimeSpan LockoutDuration(int previousLockouts)
    {
        var doublings = Math.Min(previousLockouts, 30);
        var ticks = options.Duration.Ticks * Math.Pow(2, doublings);
        return ticks >= options.MaxDuration.Ticks ? options.MaxDuration : TimeSpan.FromTicks((long)ticks);
    }
}
