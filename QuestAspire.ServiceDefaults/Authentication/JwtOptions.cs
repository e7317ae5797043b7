using System.ComponentModel.DataAnnotations;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace QuestAspire.ServiceDefaults.Authentication;

/// <summary>How access tokens are signed (Auth) and validated (every service).</summary>
public sealed class JwtOptions
{
    public const string SectionName = "Jwt";

    /// <summary>The HMAC-SHA256 key; the AppHost passes its <c>jwt-signing-key</c> secret.</summary>
    [Required, MinLength(32)]
    public string SigningKey { get; set; } = "";

    [Required]
    public string Issuer { get; set; } = "questaspire-auth";

    [Required]
    public string Audience { get; set; } = "questaspire";

    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(1);

    public SymmetricSecurityKey GetSecurityKey() => new(Encoding.UTF8.GetBytes(SigningKey));
}
