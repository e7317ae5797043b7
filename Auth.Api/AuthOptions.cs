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
}
