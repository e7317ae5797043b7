using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace QuestAspire.AppHost;

/// <summary>
/// Dashboard buttons that call a service's admin API (replay dead letters, rebuild the catalog
/// read model, rebuild the progress projection). The AppHost owns the JWT signing key, so it signs a short-lived admin token for
/// each call, with the issuer and audience every service validates (ServiceDefaults' JwtOptions).
/// </summary>
public static class AdminCommands
{
    private const string Issuer = "questaspire-auth";
    private const string Audience = "questaspire";
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(2);

    /// <summary>Adds a dashboard command that POSTs to <paramref name="path"/> with an admin token and shows the answer.</summary>
    public static IResourceBuilder<ProjectResource> WithAdminCommand(
        this IResourceBuilder<ProjectResource> builder, string path, string name, string displayName, string description,
        IResourceBuilder<ParameterResource> jwtSigningKey) =>
        builder.WithHttpCommand(path, displayName, commandName: name, commandOptions: new HttpCommandOptions
        {
            Method = HttpMethod.Post,
            Description = description,
            IconName = "ArrowSync",
            PrepareRequest = async context =>
            {
                var key = await jwtSigningKey.Resource.GetValueAsync(context.CancellationToken)
                    ?? throw new InvalidOperationException($"The {ResourceNames.JwtSigningKey} parameter has no value.");
                context.Request.Headers.Authorization = new("Bearer", CreateAdminToken(key));
            },
            GetCommandResult = async context =>
            {
                var body = await context.Response.Content.ReadAsStringAsync(context.CancellationToken);
                return context.Response.IsSuccessStatusCode
                    ? CommandResults.Success(body)
                    : CommandResults.Failure($"{(int)context.Response.StatusCode}: {body}");
            },
        });

    /// <summary>"Replay dead letters": moves the service's dead letters back for another try (idempotent handlers make a replay safe).</summary>
    public static IResourceBuilder<ProjectResource> WithDeadLetterReplay(this IResourceBuilder<ProjectResource> builder, IResourceBuilder<ParameterResource> jwtSigningKey) =>
        builder.WithAdminCommand("/api/admin/dead-letters/replay", "replay-dead-letters", "Replay dead letters",
            "Move this service's dead-lettered messages back to their queues for another try.", jwtSigningKey);

    /// <summary>"Rebuild read model": Catalog.Api rebuilds its query side from its write tables and says whether anything differed.</summary>
    public static IResourceBuilder<ProjectResource> WithReadModelRebuild(this IResourceBuilder<ProjectResource> builder, IResourceBuilder<ParameterResource> jwtSigningKey) =>
        builder.WithAdminCommand("/api/admin/read-model/rebuild", "rebuild-read-model", "Rebuild read model",
            "Rebuild the catalog's read model from its write tables; the answer says whether it was unchanged.", jwtSigningKey);

    /// <summary>"Rebuild progress": Processing.Worker rebuilds its progress projection from the event log and switches it over; the answer is the rebuild's id (follow it at <c>GET /api/admin/progress/rebuild/{id}</c>).</summary>
    public static IResourceBuilder<ProjectResource> WithProgressRebuild(this IResourceBuilder<ProjectResource> builder, IResourceBuilder<ParameterResource> jwtSigningKey) =>
        builder.WithAdminCommand("/api/admin/progress/rebuild", "rebuild-progress", "Rebuild progress",
            "Rebuild every player's quest progress from the event log while events keep flowing, then switch over atomically.", jwtSigningKey);

    private static string CreateAdminToken(string signingKey)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + TokenLifetime,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(signingKey)), SecurityAlgorithms.HmacSha256),
            Subject = new ClaimsIdentity(
            [
                new Claim(JwtRegisteredClaimNames.Sub, Guid.Empty.ToString()),
                new Claim(JwtRegisteredClaimNames.UniqueName, "aspire-dashboard"),
                new Claim("role", "admin"),
                new Claim(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString()),
            ]),
        });
    }
}
