using Microsoft.AspNetCore.Components.Authorization;

namespace QuestAspire.Web.Services;

/// <summary>
/// The signed-in user of the current circuit (or request, while prerendering). Scoped, so the
/// API clients read the token of the user they work for.
/// </summary>
public sealed class UserSession(AuthenticationStateProvider authentication)
{
    public async Task<SignedInUser?> GetUserAsync() =>
        SignedInUser.From((await authentication.GetAuthenticationStateAsync()).User);
}
