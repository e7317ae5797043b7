using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using QuestAspire.ServiceDefaults.Api;
using QuestAspire.ServiceDefaults.Telemetry;

namespace QuestAspire.Web.ComponentTests;

/// <summary>Answers every request with what the test says, and remembers the requests.</summary>
public sealed class FakeApi(Func<HttpRequestMessage, Task<HttpResponseMessage>> answer) : HttpMessageHandler
{
    private readonly List<HttpRequestMessage> _requests = [];

    public IReadOnlyList<HttpRequestMessage> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public static FakeApi Answering(HttpStatusCode status, object? body = null, string mediaType = "application/json") =>
        new(_ => Task.FromResult(Response(status, body, mediaType)));

    public static HttpResponseMessage Response(HttpStatusCode status, object? body = null, string mediaType = "application/json") =>
        new(status)
        {
            Content = body is null
                ? new StringContent("")
                : JsonContent.Create(body, mediaType: new(mediaType), options: ApiDefaults.JsonOptions),
        };

    public static object Problem(int status, string detail) => new { type = "about:blank", title = "Problem", status, detail };

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (_requests)
        {
            _requests.Add(request);
        }

        return answer(request);
    }
}

public sealed class FakeAuthenticationStateProvider(ClaimsPrincipal user) : AuthenticationStateProvider
{
    public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
}

public static class TestServices
{
    public static readonly SignedInUser Player = new(
        Guid.Parse("01a20e32-e1aa-75ab-91a6-2dcc4a6edcc1"), "alice", Roles.Player, "token-of-alice",
        DateTimeOffset.Parse("2026-11-24T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
        DateTimeOffset.Parse("2026-11-24T13:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The Web's spans; nothing listens to them in these tests.</summary>
    public static WebTelemetry Telemetry { get; } = new(new ServiceTelemetry("QuestAspire.Web",
        new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>()));

    /// <summary>The Web's clients, signed in as <see cref="Player"/>, talking to <paramref name="api"/>.</summary>
    public static IServiceCollection AddWebClients(this IServiceCollection services, FakeApi api)
    {
        services.AddSingleton<AuthenticationStateProvider>(new FakeAuthenticationStateProvider(Player.ToPrincipal("test")));
        services.AddScoped<UserSession>();
        services.AddScoped<WalletState>();
        services.AddScoped(sp => new AuthClient(Client(api, "auth-api"), sp.GetRequiredService<UserSession>(), Telemetry));
        services.AddScoped(sp => new CatalogClient(Client(api, "catalog-api"), sp.GetRequiredService<UserSession>()));
        services.AddScoped(sp => new ProcessingClient(Client(api, "processing-worker"), sp.GetRequiredService<UserSession>()));
        // A clock of its own, never moved: a page test does not break streams (ProgressStreamTests do).
        services.AddScoped(sp => new ProgressStream(Client(api, "processing-worker"), sp.GetRequiredService<UserSession>(),
            new FakeTimeProvider(), NullLogger<ProgressStream>.Instance));
        return services;
    }

    public static UserSession Session() => new(new FakeAuthenticationStateProvider(Player.ToPrincipal("test")));

    public static HttpClient Client(FakeApi api, string service) => new(api, disposeHandler: false) { BaseAddress = new($"http://{service}") };
}
