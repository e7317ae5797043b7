using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;

namespace QuestAspire.Web.Apis;

/// <summary>
/// Sign-out is a form post (with an antiforgery token) from the top bar. Sign-in and sign-up are
/// static server-rendered pages, because they set the cookie.
/// </summary>
public static class AccountApi
{
    public static RouteGroupBuilder MapAccountApi(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account");
        account.MapPost("/logout", SignOutAsync).WithMetadata(new RequireAntiforgeryTokenAttribute());
        return account;
    }

    public static async Task<RedirectHttpResult> SignOutAsync(HttpContext context, ILoggerFactory loggers)
    {
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        loggers.CreateLogger(typeof(AccountApi)).LogInformation("User {UserName} signed out", context.User.Identity?.Name);
        return TypedResults.LocalRedirect("~/account/login?signedOut=true");
    }
}
