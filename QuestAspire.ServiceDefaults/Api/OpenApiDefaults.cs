using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace QuestAspire.ServiceDefaults.Api;

/// <summary>
/// The OpenAPI document every QuestAspire service publishes at <see cref="DocumentPath"/>, generated
/// by ASP.NET Core from the endpoints themselves, and its interactive reference (Scalar) at
/// <see cref="ReferencePath"/> in Development.
/// </summary>
/// <remarks>
/// The pattern for an endpoint's metadata, so a new endpoint documents itself like the others:
/// <list type="bullet">
/// <item>The handler returns <c>TypedResults</c> with a precise <c>Results&lt;…&gt;</c> type: the
/// success body, <c>ValidationProblem</c> (400), <see cref="NotFoundProblem"/> (404) and
/// <see cref="ConflictProblem"/> (409) describe themselves.</item>
/// <item>On the mapping: <c>.WithSummary("…")</c> always; <c>.ProducesProblem(status)</c> for each
/// error the type does not name (a bare <c>ProblemHttpResult</c>, <c>ForbidHttpResult</c> and
/// <c>UnauthorizedHttpResult</c>, which describe nothing, 429 from a limiter, 503 when shedding); <c>.Accepts&lt;T&gt;(contentType)</c> when the handler reads the body itself.</item>
/// <item>Authorization is not written per endpoint: <see cref="AuthorizationTransformer"/> reads
/// <c>RequireAuthorization</c> and adds the bearer requirement, 401, and for a role policy 403 and
/// a line saying who may call it.</item>
/// <item>The endpoint, with its statuses, goes into <c>OpenApiTests</c>' expected list (and a Web
/// record that reads it into that test's contract list).</item>
/// </list>
/// </remarks>
public static class OpenApiDefaults
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/scalar";

    /// <summary>The name of the JWT bearer security scheme in every document.</summary>
    public const string BearerScheme = "Bearer";

    /// <summary>Generates the service's OpenAPI document with the JWT bearer scheme and per-endpoint authorization.</summary>
    public static TBuilder AddOpenApiDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        // Minimal APIs' schemas follow the JsonOptions ApiDefaults configures: the document shows
        // the wire names (access_token) and enums as strings.
        builder.Services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = "A token from Auth.Api's POST /login/access-token, sent as Authorization: Bearer <token>.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer<AuthorizationTransformer>();
        });
        return builder;
    }

    /// <summary>
    /// Maps the document at <c>/openapi/v1.json</c> in every environment (app teams and the
    /// contract tests read it from a running system) and the Scalar reference at <c>/scalar</c>
    /// in Development only.
    /// </summary>
    public static WebApplication MapOpenApiEndpoints(this WebApplication app)
    {
        app.MapOpenApi();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference(ReferencePath, options => options.AddPreferredSecuritySchemes(BearerScheme));
        }

        return app;
    }

    /// <summary>
    /// For an endpoint that requires authorization: the bearer requirement and the 401 it answers
    /// without a valid token; for a role policy also the 403 for a token without the role, and
    /// the policy named in the description.
    /// </summary>
    internal sealed class AuthorizationTransformer : IOpenApiOperationTransformer
    {
        public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<IAllowAnonymous>().Any() || metadata.OfType<IAuthorizeData>().ToList() is not { Count: > 0 } authorize)
            {
                return;
            }

            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [],
            });

            operation.Responses ??= [];
            await AddProblemAsync(operation, context, StatusCodes.Status401Unauthorized, "No valid bearer token.", cancellationToken);
            if (authorize.Select(a => a.Policy).OfType<string>().Distinct().ToList() is { Count: > 0 } policies)
            {
                await AddProblemAsync(operation, context, StatusCodes.Status403Forbidden, "The token lacks the role the policy requires.", cancellationToken);
                var who = $"Requires the {string.Join(", ", policies)} role.";
                operation.Description = string.IsNullOrEmpty(operation.Description) ? who : $"{operation.Description}\n\n{who}";
            }
        }

        private static async Task AddProblemAsync(
            OpenApiOperation operation, OpenApiOperationTransformerContext context, int status, string description, CancellationToken cancellationToken)
        {
            var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (operation.Responses!.ContainsKey(key))
            {
                return;
            }

            // One ProblemDetails component, shared with the one the framework writes for NotFoundProblem and the like.
            var document = context.Document!;
            if (document.Components?.Schemas?.ContainsKey(nameof(ProblemDetails)) != true)
            {
                document.AddComponent<IOpenApiSchema>(nameof(ProblemDetails), await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), cancellationToken: cancellationToken));
            }

            operation.Responses[key] = new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(nameof(ProblemDetails), document) },
                },
            };
        }
    }
}
