namespace QuestAspire.AppHost;

/// <summary>The dashboard's links to a service's API contract (run mode only; manifests are unchanged).</summary>
public static class ApiReference
{
    // The paths ServiceDefaults' OpenApiDefaults maps; the AppHost does not reference the services' code.
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/scalar";

    /// <summary>
    /// Adds "API reference" (the Scalar page, served in Development, which a local run is) and
    /// "OpenAPI document" links to the service's HTTP endpoint in the dashboard.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithApiReference(this IResourceBuilder<ProjectResource> service) =>
        service
            .WithUrlForEndpoint("http", _ => new ResourceUrlAnnotation { Url = ReferencePath, DisplayText = "API reference" })
            .WithUrlForEndpoint("http", _ => new ResourceUrlAnnotation { Url = DocumentPath, DisplayText = "OpenAPI document" });
}
