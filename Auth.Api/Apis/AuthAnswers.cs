using Microsoft.AspNetCore.Http.HttpResults;
using QuestAspire.Auth.Api.Services;
using QuestAspire.ServiceDefaults.Api;

namespace QuestAspire.Auth.Api.Apis;

/// <summary>
/// What more than one Auth endpoint answers alike: the unknown user, the 429s of the per-address
/// and per-account limits (with their <c>Retry-After</c>), and the 503 of a full password gate.
/// The sign-in rate limiter (<c>Extensions</c>) answers with them too.
/// </summary>
public static class AuthAnswers
{
    public static NotFoundProblem UserNotFound() => new("No user has that id.", "User not found");

    /// <summary>The address the per-address limits count by.</summary>
    public static string ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>A per-address limit was reached: 429 with Retry-After, and the wait in words.</summary>
    public static ProblemHttpResult TooMany(HttpContext context, string what, int seconds) =>
        RetryLater(context, "Too many requests", $"Too many {what} from your address. Try again in {DescribeWait(seconds)}.", seconds);

    /// <summary>Too many failed sign-ins for this account: refused, whatever the password, until the lockout ends.</summary>
    public static ProblemHttpResult LockedOut(HttpContext context, TimeSpan lockedFor)
    {
        var seconds = RetryAfterSeconds(lockedFor);
        return RetryLater(context, "Account locked", $"Too many failed sign-ins for this account. Try again in {DescribeWait(seconds)}.", seconds);
    }

    /// <summary>Every hashing slot is taken and the queue is full: answered at once, with when to come back.</summary>
    public static ProblemHttpResult Shed(HttpContext context)
    {
        context.Response.Headers.RetryAfter = ((int)PasswordGate.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem("Auth is busy checking passwords; try again in a second.", statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>Whole seconds, rounded up, at least one: what a Retry-After header says.</summary>
    public static int RetryAfterSeconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));

    /// <summary>"45 seconds", "2 minutes": how a wait reads in a message.</summary>
    public static string DescribeWait(int seconds) => seconds switch
    {
        1 => "1 second",
        < 90 => $"{seconds} seconds",
        _ => $"{(int)Math.Ceiling(seconds / 60.0)} minutes",
    };

    // 429 with the wait in the Retry-After header and, for scripts, as retry_after in the body.
    private static ProblemHttpResult RetryLater(HttpContext context, string title, string detail, int seconds)
    {
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status429TooManyRequests, title: title,
            extensions: new Dictionary<string, object?> { ["retry_after"] = seconds });
    }
}
