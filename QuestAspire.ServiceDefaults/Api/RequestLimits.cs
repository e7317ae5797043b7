using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace QuestAspire.ServiceDefaults.Api;

/// <summary>
/// The limits on a request's line and headers, answered with problem details. Kestrel refuses a
/// request over its own limits before any middleware runs, with an empty body, so its limits are
/// set a notch above these and this middleware enforces the real ones: a request between the two
/// gets 414 or 431 as <c>application/problem+json</c>. Only a request past Kestrel's limits (or
/// one it cannot parse at all) still gets Kestrel's bare answer.
/// </summary>
public static class RequestLimits
{
    /// <summary>The longest request target (path and query) answered; longer is 414.</summary>
    public const int MaxRequestTargetLength = 8 * 1024;

    /// <summary>The most header bytes (names, values and separators) answered; more is 431.</summary>
    public const int MaxRequestHeadersTotalSize = 32 * 1024;

    /// <summary>The most header fields answered; more is 431.</summary>
    public const int MaxRequestHeaderCount = 100;

    // Kestrel's own limits: room above ours, so the requests we refuse reach us first.
    internal static void ConfigureKestrel(KestrelServerOptions options)
    {
        options.Limits.MaxRequestLineSize = 2 * MaxRequestTargetLength + 64;
        options.Limits.MaxRequestHeadersTotalSize = 2 * MaxRequestHeadersTotalSize;
        options.Limits.MaxRequestHeaderCount = 2 * MaxRequestHeaderCount;
    }

    /// <summary>Refuses a request over the limits with 414 or 431 problem details before anything else reads it.</summary>
    internal static async Task EnforceAsync(HttpContext context, RequestDelegate next)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? $"{context.Request.PathBase}{context.Request.Path}{context.Request.QueryString}";
        if (target.Length > MaxRequestTargetLength)
        {
            await RefuseAsync(context, StatusCodes.Status414UriTooLong, "URI too long",
                $"The request target (path and query) has {target.Length} characters; at most {MaxRequestTargetLength} are accepted.");
            return;
        }

        var count = 0;
        long size = 0;
        foreach (var (name, values) in context.Request.Headers)
        {
            foreach (var value in values)
            {
                count++;
                size += name.Length + (value?.Length ?? 0) + 4; // ": " and CRLF
            }
        }

        if (count > MaxRequestHeaderCount || size > MaxRequestHeadersTotalSize)
        {
            await RefuseAsync(context, StatusCodes.Status431RequestHeaderFieldsTooLarge, "Request headers too large",
                $"The request has {count} header fields of {size} bytes in all; at most {MaxRequestHeaderCount} fields and {MaxRequestHeadersTotalSize} bytes are accepted.");
            return;
        }

        await next(context);
    }

    private static async Task RefuseAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        // The connection is not worth keeping for a client that sends such requests.
        context.Response.Headers.Connection = "close";
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new()
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
