using System.Globalization;
using System.Security.Claims;

namespace QuestAspire.Web.Services;

/// <summary>
/// Who is signed in, as the auth cookie carries it: the profile Auth returned, the access token
/// (the cookie is encrypted and HTTP-only, so the token never reaches the browser's scripts),
/// when the sign-in started and when the token (and so the cookie) expires.
/// </summary>
public sealed record SignedInUser(Guid UserId, string UserName, string Role, string AccessToken, DateTimeOffset SignedInAt, DateTimeOffset ExpiresAt)
{
    public const string AccessTokenClaim = "questaspire:access_token";
    public const string SignedInAtClaim = "questaspire:signed_in_at";
    public const string ExpiresAtClaim = "questaspire:expires_at";

    public bool IsAdmin => Role == Roles.Admin;

    public ClaimsPrincipal ToPrincipal(string authenticationType) =>
        new(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, UserId.ToString()),
                new Claim(ClaimTypes.Name, UserName),
                new Claim(ClaimTypes.Role, Role),
                new Claim(AccessTokenClaim, AccessToken),
                new Claim(SignedInAtClaim, SignedInAt.ToString("O", CultureInfo.InvariantCulture)),
                new Claim(ExpiresAtClaim, ExpiresAt.ToString("O", CultureInfo.InvariantCulture)),
            ],
            authenticationType,
            ClaimTypes.Name,
            ClaimTypes.Role));

    /// <summary>The signed-in user of <paramref name="principal"/>, or null when it is not one of ours.</summary>
    public static SignedInUser? From(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true
            || !Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
            || principal.FindFirstValue(AccessTokenClaim) is not { Length: > 0 } token
            || !TryParseTime(principal.FindFirstValue(SignedInAtClaim), out var signedInAt)
            || !TryParseTime(principal.FindFirstValue(ExpiresAtClaim), out var expiresAt))
        {
            return null;
        }

        return new SignedInUser(
            userId,
            principal.FindFirstValue(ClaimTypes.Name) ?? "",
            principal.FindFirstValue(ClaimTypes.Role) ?? Roles.Player,
            token,
            signedInAt,
            expiresAt);
    }

    private static bool TryParseTime(string? value, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out time);
}
