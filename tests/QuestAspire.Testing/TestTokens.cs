using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace QuestAspire.Testing;

/// <summary>
/// Access tokens as Auth.Api issues them (HS256, issuer <c>questaspire-auth</c>, audience
/// <c>questaspire</c>, claims <c>sub</c>, <c>unique_name</c>, <c>role</c>), minted here so the
/// services can be tested on their own. Written by hand to depend on nothing but the BCL.
/// </summary>
public static class TestTokens
{
    public const string Issuer = "questaspire-auth";
    public const string Audience = "questaspire";
    public const string AdminRole = "admin";
    public const string PlayerRole = "player";

    /// <summary>The key the AppHost gives every service: its <c>jwt-signing-key</c> parameter.</summary>
    public static async Task<string> GetSigningKeyAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        var parameter = app.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .OfType<ParameterResource>()
            .Single(p => p.Name == ResourceNames.JwtSigningKey);
        var key = await parameter.GetValueAsync(cancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        return string.IsNullOrEmpty(key) ? throw new InvalidOperationException($"The {ResourceNames.JwtSigningKey} parameter has no value.") : key;
    }

    /// <summary>A token for <paramref name="role"/>, valid from a minute before <paramref name="issuedAt"/> for <paramref name="lifetime"/>.</summary>
    public static string Create(string signingKey, string role, DateTimeOffset? issuedAt = null, TimeSpan? lifetime = null, string userName = "test-user", Guid? userId = null)
    {
        var now = issuedAt ?? DateTimeOffset.UtcNow;
        var header = new Dictionary<string, object> { ["alg"] = "HS256", ["typ"] = "JWT" };
        var payload = new Dictionary<string, object>
        {
            ["sub"] = (userId ?? Guid.NewGuid()).ToString(),
            ["unique_name"] = userName,
            ["role"] = role,
            ["iss"] = Issuer,
            ["aud"] = Audience,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
            ["exp"] = now.Add(lifetime ?? TimeSpan.FromMinutes(10)).ToUnixTimeSeconds(),
        };

        var unsigned = $"{Encode(header)}.{Encode(payload)}";
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingKey), Encoding.ASCII.GetBytes(unsigned));
        return $"{unsigned}.{Base64Url.EncodeToString(signature)}";
    }

    private static string Encode(Dictionary<string, object> part) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(part));
}
