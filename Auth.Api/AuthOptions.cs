using System.ComponentModel.DataAnnotations;

namespace QuestAspire.Auth.Api;

public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>Password of the seeded admin account: the AppHost's <c>admin-password</c> secret.</summary>
    [Required, MinLength(8)]
    public string AdminPassword { get; set; } = "";

    /// <summary>Sign-in attempts a client may burst (token bucket per client address).</summary>
    [Range(1, 100_000)]
    public int SignInBurst { get; set; } = 200;

    /// <summary>Sign-in attempts per second a client regains.</summary>
    [Range(1, 100_000)]
    public int SignInsPerSecond { get; set; } = 100;

    /// <summary>Sign-ups a client address may make per minute (operators create players in bulk through <c>POST /admin/users</c> instead).</summary>
    [Range(1, 100_000)]
    public int SignUpsPerMinute { get; set; } = 10;

    /// <summary>Password hashes that may run at once; by default one less than the cores (at least one), so hashing never takes them all.</summary>
    [Range(1, 256)]
    public int? PasswordHashConcurrency { get; set; }

    /// <summary>Sign-ins and sign-ups that may wait for a hashing slot; past that they are shed with 503 and Retry-After.</summary>
    [Range(0, 10_000)]
    public int PasswordHashQueue { get; set; } = 3;
}
