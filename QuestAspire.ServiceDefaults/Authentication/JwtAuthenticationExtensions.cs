using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace QuestAspire.ServiceDefaults.Authentication;

public static class Roles
{
    public const string Admin = "admin";
    public const string Player = "player";
}

public static class Policies
{
    /// <summary>Admin endpoints: a valid token with the admin role.</summary>
    public const string Admin = "admin";
}

public static class JwtAuthenticationExtensions
{
    /// <summary>The claim that carries the user's security stamp when the token was issued.</summary>
    public const string StampClaim = "stamp";

    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Validates Auth's access tokens: signature, issuer, audience and lifetime (30 s of clock skew),
    /// and that the token was not revoked: its <c>stamp</c> is the user's newest one, as the
    /// <c>security-stamps</c> stream tells every replica (the event bus's <c>AddTokenRevocationFeed</c>
    /// fills <see cref="SecurityStamps"/>), so no request calls Auth. The signing key comes from the <c>Jwt</c> section and is checked at start.
    /// </summary>
    public static TBuilder AddJwtBearerAuthentication<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<JwtOptions>()
            .BindConfiguration(JwtOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<SecurityStamps>();

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<JwtOptions>>((bearer, jwt) =>
            {
                bearer.MapInboundClaims = false;
                bearer.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = jwt.Value.Issuer,
                    ValidAudience = jwt.Value.Audience,
                    IssuerSigningKey = jwt.Value.GetSecurityKey(),
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    NameClaimType = JwtRegisteredClaimNames.UniqueName,
                    RoleClaimType = "role",
                    ClockSkew = ClockSkew,
                };
                bearer.Events = new JwtBearerEvents { OnTokenValidated = RefuseRevoked };
            });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Admin, policy => policy.RequireAuthenticatedUser().RequireRole(Roles.Admin));

        return builder;
    }

    private static Task RefuseRevoked(TokenValidatedContext context)
    {
        var stamps = context.HttpContext.RequestServices.GetRequiredService<SecurityStamps>();
        var principal = context.Principal;
        if (principal is not null
            && Guid.TryParse(principal.FindFirstValue(JwtRegisteredClaimNames.Sub), out var userId)
            && !stamps.IsCurrent(userId, principal.FindFirstValue(StampClaim)))
        {
            context.Fail("The token was revoked: the account was banned or unbanned, or its password changed, after it was issued.");
        }

        return Task.CompletedTask;
    }

    /// <summary>The user id (<c>sub</c>) of a validated token.</summary>
    public static Guid GetUserId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(JwtRegisteredClaimNames.Sub), out var id)
            ? id
            : throw new InvalidOperationException("The token has no user id.");

    public static bool IsAdmin(this ClaimsPrincipal principal) => principal.IsInRole(Roles.Admin);
}
