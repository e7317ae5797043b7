using System.Net;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Http.Resilience;
using QuestAspire.ServiceDefaults.Api;
using QuestAspire.ServiceDefaults.Telemetry;
using QuestAspire.Web.Services;

namespace QuestAspire.Web.Extensions;

public static class Extensions
{
    /// <summary>The auth cookie: it carries the user's access token, encrypted, never readable by scripts.</summary>
    public const string SessionCookieName = "QuestAspire.Session";

    /// <summary>
    /// Adds Blazor with interactive server rendering, cookie sign-in, and the clients of Auth,
    /// Catalog and Processing, reached by service discovery.
    /// </summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.AddServiceTelemetry(WebTelemetry.Service);
        builder.Services.AddSingleton<WebTelemetry>();

        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = SessionCookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.LoginPath = "/account/login";
                options.AccessDeniedPath = "/account/denied";
                // Each sign-in sets the cookie to expire with the access token; it is never extended past it.
                options.SlidingExpiration = false;
            });
        builder.Services.AddAuthorization();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<AuthenticationStateProvider, SessionRevalidatingAuthenticationStateProvider>();
        builder.Services.AddScoped<UserSession>();
        builder.Services.AddScoped<WalletState>();
        builder.Services.AddSingleton(TimeProvider.System);

        builder.Services.ConfigureAll<HttpStandardResilienceOptions>(options =>
        {
            // Every POST and PUT of this site changes something (a sign-in counts toward quests, a
            // claim credits a wallet): the standard resilience handler must not send one twice.
            options.Retry.DisableForUnsafeHttpMethods();
            // A person is waiting: say soon that a service is down rather than retry for half a minute.
            options.Retry.MaxRetryAttempts = 2;
            options.Retry.Delay = TimeSpan.FromMilliseconds(250);
        });

        builder.AddTrustedProxies();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddTransient<ForwardedForHandler>();
        var sourceAddress = builder.Configuration[TrustedProxies.SourceAddressKey] is { Length: > 0 } source ? IPAddress.Parse(source) : null;
        builder.Services.AddHttpClient<AuthClient>(http => http.BaseAddress = ServiceUri(ResourceNames.AuthApi))
            .ConfigurePrimaryHttpMessageHandler(() => TrustedProxies.ConnectingFrom(sourceAddress))
            .AddHttpMessageHandler<ForwardedForHandler>();
        builder.Services.AddHttpClient<CatalogClient>(http => http.BaseAddress = ServiceUri(ResourceNames.CatalogApi));
        builder.Services.AddHttpClient<ProcessingClient>(http => http.BaseAddress = ServiceUri(ResourceNames.ProcessingWorker));
        builder.Services.AddHttpClient<SystemStatusClient>();

        builder.AddProgressStream();
        builder.Services.AddChartComponents();
    }

    /// <summary>
    /// What Radzen's chart needs (the backtest's per-day chart): its tooltip service, shown by the
    /// RadzenTooltip beside the chart. Only that, not all of <c>AddRadzenComponents</c>: no other
    /// Radzen component is used.
    /// </summary>
    public static IServiceCollection AddChartComponents(this IServiceCollection services) =>
        services.AddScoped<Radzen.TooltipService>();

    // The worker's progress stream, one per open Quests page. Its own client, without the standard
    // resilience handler: its total and attempt timeouts would cut a stream meant to last, and its
    // retries would hide the breaks ProgressStream reconnects after (with its own backoff, and a
    // refresh). No HttpClient timeout either: ProgressStream gives up on a silent stream itself.
    private static void AddProgressStream(this IHostApplicationBuilder builder)
    {
        var stream = builder.Services.AddHttpClient<ProgressStream>(http =>
        {
            http.BaseAddress = ServiceUri(ResourceNames.ProcessingWorker);
            http.Timeout = Timeout.InfiniteTimeSpan;
        });
        // The package's one way to take the default handler off a single client; marked for
        // evaluation (EXTEXP0001): if it changes, the Web's build says so.
#pragma warning disable EXTEXP0001
        stream.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
    }

    // Service discovery resolves these names to the endpoints the AppHost gave each service.
    private static Uri ServiceUri(string resourceName) => new($"http://{resourceName}");
}
