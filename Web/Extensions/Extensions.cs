using System.Net;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Http.Resilience;
using QuestAspire.EventBus;
using QuestAspire.ServiceDefaults.Api;
using QuestAspire.ServiceDefaults.Telemetry;
using QuestAspire.Web.IntegrationEvents.Handlers;
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

        builder.AddProgressPush();
        builder.Services.AddChartComponents();
    }

    /// <summary>
    /// What Radzen's chart needs (the backtest's per-day chart): its tooltip service, shown by the
    /// RadzenTooltip beside the chart. Only that, not all of <c>AddRadzenComponents</c>: no other
    /// Radzen component is used.
    /// </summary>
    public static IServiceCollection AddChartComponents(this IServiceCollection services) =>
        services.AddScoped<Radzen.TooltipService>();

    // The worker's ProgressChanged notifications, on a queue of this replica's own
    // (web-progress.{instance}, exclusive, gone with the process): every replica hears of every
    // player, and raises it for the pages open on it. The broker is optional for the Web: without
    // it pages still refresh on their slow timer, so its health check is not the Web's readiness.
    private static void AddProgressPush(this IHostApplicationBuilder builder)
    {
        builder.AddRabbitMQClient(ResourceNames.RabbitMQ, settings => settings.DisableHealthChecks = true);
        builder.Services.AddSingleton<ProgressHub>();
        builder.AddEventConsumer<ProgressChangedHandler>(EventNames.WebProgressQueue, [EventNames.ProgressChanged], options =>
        {
            options.Broadcast = true;
            options.PrefetchCount = 100;
            options.MaxBatchSize = 100;
        });
    }

    // Service discovery resolves these names to the endpoints the AppHost gave each service.
    private static Uri ServiceUri(string resourceName) => new($"http://{resourceName}");
}
