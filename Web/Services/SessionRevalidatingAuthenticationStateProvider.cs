using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace QuestAspire.Web.Services;

/// <summary>
/// Ends an interactive session when its access token expires: a circuit can outlive the cookie
/// it started with, and the APIs would refuse the token from then on anyway.
/// </summary>
public sealed class SessionRevalidatingAuthenticationStateProvider(ILoggerFactory loggerFactory, TimeProvider time)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(30);

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        Task.FromResult(SignedInUser.From(authenticationState.User) is { } user && user.ExpiresAt > time.GetUtcNow());
}
