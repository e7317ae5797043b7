using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace QuestAspire.Catalog.Api.Apis;

/// <summary>
/// A 404 with problem details that say what was not found. Unlike
/// <c>NotFound&lt;ProblemDetails&gt;</c>, which writes plain <c>application/json</c>, this goes
/// through <see cref="IProblemDetailsService"/>: <c>application/problem+json</c> and the same
/// extensions (trace id) as every other error of the API.
/// </summary>
public sealed class NotFoundProblem(string detail) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    public string Detail { get; } = detail;

    public int StatusCode => StatusCodes.Status404NotFound;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCode;
        await httpContext.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new()
        {
            HttpContext = httpContext,
            ProblemDetails = { Status = StatusCode, Detail = Detail },
        });
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status404NotFound, typeof(ProblemDetails), ["application/problem+json"]));
}
