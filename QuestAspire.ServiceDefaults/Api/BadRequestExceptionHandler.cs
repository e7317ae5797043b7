using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace QuestAspire.ServiceDefaults.Api;

/// <summary>
/// Turns a request the framework could not bind (malformed JSON, a value of the wrong type,
/// a body over the size limit, a missing body) into problem details with the framework's status
/// code and a message that says what was wrong, instead of a bare 400 or a 500.
/// </summary>
public sealed class BadRequestExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest || httpContext.Response.HasStarted)
        {
            return false;
        }

        httpContext.Response.StatusCode = badRequest.StatusCode;
        return await problemDetails.TryWriteAsync(new()
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = badRequest.StatusCode,
                Detail = Describe(badRequest),
            },
        });
    }

    private static string Describe(BadHttpRequestException exception) => exception.InnerException switch
    {
        // The path names the offending field ($.streak); the exception's own text names .NET types.
        JsonException { Path: { Length: > 0 } path } => $"The request body is not valid JSON for this endpoint: the value at '{path}' is malformed or of the wrong type.",
        JsonException => "The request body is not valid JSON.",
        _ => exception.Message,
    };
}
