namespace QuestAspire.Web.Services;

public static class LocalUrl
{
    /// <summary>
    /// <paramref name="returnUrl"/> when it points into this site, else the home page: a sign-in
    /// link must not send the user elsewhere (open redirect).
    /// </summary>
    public static string OrHome(string? returnUrl) =>
        returnUrl is { Length: > 0 }
        && returnUrl[0] == '/'
        && (returnUrl.Length == 1 || (returnUrl[1] != '/' && returnUrl[1] != '\\'))
        && Uri.IsWellFormedUriString(returnUrl, UriKind.Relative)
            ? returnUrl
            : "/";
}
