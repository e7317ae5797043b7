using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace QuestAspire.ServiceDefaults.Api;

/// <summary>Conventions every QuestAspire HTTP API follows.</summary>
public static class ApiDefaults
{
    /// <summary>Requests larger than this are refused with 413: no endpoint takes more than a small form or JSON body.</summary>
    public const long MaxRequestBodyBytes = 64 * 1024;

    /// <summary>The JSON shape of the public API: snake_case names, enums as strings, numbers only as JSON numbers.</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        // The web defaults would read "7" as 7: a number sent as a string is refused (400), not changed.
        options.NumberHandling = JsonNumberHandling.Strict;
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.Converters.Add(new JsonStringEnumConverter());
    }

    /// <summary>A copy of the API's JSON options, for clients and tests.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = CreateJsonOptions();

    /// <summary>
    /// Adds problem details for every error, snake_case JSON with string enums, a small request
    /// body limit, and JWT bearer authentication with the admin policy.
    /// </summary>
    public static TBuilder AddApiDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddProblemDetails();
        // Binding failures (malformed JSON, a wrong type, a missing body) throw in every
        // environment, so the handler can answer with a 4xx that says what was wrong.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.ConfigureHttpJsonOptions(options => Configure(options.SerializerOptions));
        builder.Services.Configure<KestrelServerOptions>(options =>
        {
            options.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            RequestLimits.ConfigureKestrel(options);
        });
        builder.AddJwtBearerAuthentication();
        return builder;
    }

    /// <summary>
    /// Turns every unhandled error and bare status code (404 for an unmatched route, 405, 401,
    /// 403…) into problem details with the trace id, and refuses an over-long request target or
    /// oversized headers with 414 or 431 problem details (<see cref="RequestLimits"/>).
    /// </summary>
    public static WebApplication UseApiDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(RequestLimits.EnforceAsync);
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        return options;
    }
}
