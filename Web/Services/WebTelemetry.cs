using System.Diagnostics;
using QuestAspire.ServiceDefaults.Telemetry;

namespace QuestAspire.Web.Services;

/// <summary>The Web's spans, on the service's <c>QuestAspire.Web</c> source: what a person did, around the API calls it made.</summary>
public sealed class WebTelemetry(ServiceTelemetry telemetry)
{
    public const string Service = "Web";

    /// <summary>A span inside the current trace (a sign-in form post is one request).</summary>
    public Activity? Start(string name) => telemetry.ActivitySource.StartActivity(name);

    /// <summary>
    /// A span that begins a trace of its own: a click on an interactive page arrives over the
    /// page's long-lived connection, and is not part of whatever started that connection. The
    /// caller must be an async method, so that clearing the current span stays inside it.
    /// </summary>
    public Activity? StartTrace(string name)
    {
        Activity.Current = null;
        return telemetry.ActivitySource.StartActivity(name, ActivityKind.Internal, parentContext: default);
    }
}
