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
        if (httpContext.Response.HasStarted)
        {
            return false;
        }

        var (status, detail) = exception switch
        {
            BadHttpRequestException badRequest => (badRequest.StatusCode, Describe(badRequest)),
            // A form read by hand (ReadFormAsync) that cannot be decoded: a NUL (%00) in a value,
            // too many or too long values. The framework's own form binding makes these a 400 too.
            InvalidDataException when IsFormReading(exception) => (StatusCodes.Status400BadRequest, DescribeForm(exception)),
            _ => (0, null),
        };
        if (detail is null)
        {
            return false;
        }

        httpContext.Response.StatusCode = status;
        return await problemDetails.TryWriteAsync(new()
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = status,
                Detail = detail,
            },
        });
    }

    private static bool IsFormReading(Exception exception) =>
        exception.StackTrace?.Contains("Microsoft.AspNetCore.WebUtilities.Form", StringComparison.Ordinal) == true
        || exception.StackTrace?.Contains("Microsoft.AspNetCore.Http.Features.FormFeature", StringComparison.Ordinal) == true;

    private static string DescribeForm(Exception exception) => exception.InnerException is InvalidOperationException { Message: var inner } && inner.Contains("null", StringComparison.OrdinalIgnoreCase)
        ? "The form could not be read: a value contains a NUL character (%00), which no field accepts."
        : $"The form could not be read: {exception.Message}";

    private static string Describe(BadHttpRequestException exception) => exception.InnerException switch
    {
        // The path names the offending field ($.streak); the exception's own text names .NET types.
        JsonException { Path: { Length: > 0 } path } => $"The request body is not valid JSON for this endpoint: the value at '{path}' is malformed or of the wrong type.",
        JsonException => "The request body is not valid JSON.",
        _ => exception.Message,
    };
}
