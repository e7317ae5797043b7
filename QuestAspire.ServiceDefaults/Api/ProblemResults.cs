using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace QuestAspire.ServiceDefaults.Api;

/// <summary>
/// An error answer with problem details that say what went wrong. Unlike
/// <c>NotFound&lt;ProblemDetails&gt;</c>, which writes plain <c>application/json</c>, this goes
/// through <see cref="IProblemDetailsService"/>: <c>application/problem+json</c> and the same
/// extensions (trace id) as every other error of the API.
/// </summary>
public abstract class ProblemResult(int statusCode, string? title, string detail, IDictionary<string, string[]>? errors = null) : IResult, IStatusCodeHttpResult
{
    public string? Title { get; } = title;

    /// <summary>Messages by the public name of the field they concern, as in a validation problem (<c>errors</c>).</summary>
    public IDictionary<string, string[]>? Errors { get; } = errors;

    public string Detail { get; } = detail;

    public int StatusCode { get; } = statusCode;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCode;
        var problem = new ProblemDetails { Status = StatusCode, Title = Title, Detail = Detail };
        if (Errors is not null)
        {
            problem.Extensions["errors"] = Errors;
        }

        await httpContext.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new()
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
        });
    }

    private protected static void AddMetadata(EndpointBuilder builder, int statusCode) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(statusCode, typeof(ProblemDetails), ["application/problem+json"]));
}

/// <summary>404 with problem details.</summary>
public sealed class NotFoundProblem(string detail, string? title = null)
    : ProblemResult(StatusCodes.Status404NotFound, title, detail), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => AddMetadata(builder, StatusCodes.Status404NotFound);
}

/// <summary>409 with problem details: the request is well-formed but clashes with the data.</summary>
public sealed class ConflictProblem(string detail, string? title = null, IDictionary<string, string[]>? errors = null)
    : ProblemResult(StatusCodes.Status409Conflict, title, detail, errors), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => AddMetadata(builder, StatusCodes.Status409Conflict);
}

/// <summary>412 with problem details: the caller's <c>If-Match</c> names a version the resource no longer has.</summary>
public sealed class PreconditionFailedProblem(string detail, string? title = null)
    : ProblemResult(StatusCodes.Status412PreconditionFailed, title, detail), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => AddMetadata(builder, StatusCodes.Status412PreconditionFailed);
}

/// <summary>422 with problem details: the request is well-formed but cannot be processed as sent (an idempotency key reused for another request).</summary>
public sealed class UnprocessableProblem(string detail, string? title = null)
    : ProblemResult(StatusCodes.Status422UnprocessableEntity, title, detail), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => AddMetadata(builder, StatusCodes.Status422UnprocessableEntity);
}
