using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using QuestAspire.Auth.Api.Apis;
using QuestAspire.Auth.Api.IntegrationEvents.Handlers;
using QuestAspire.Auth.Api.Model;
using QuestAspire.Auth.Api.Services;
using QuestAspire.ServiceDefaults.Api;
using QuestAspire.ServiceDefaults.Data;
using QuestAspire.ServiceDefaults.Messaging;
using QuestAspire.ServiceDefaults.Telemetry;

namespace QuestAspire.Auth.Api.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddApiDefaults();
        builder.AddServiceTelemetry(AuthTelemetry.Service);
        builder.Services.AddSingleton<AuthTelemetry>();
        builder.AddNpgsqlDbContext<AuthDbContext>(ResourceNames.AuthDb);
        builder.AddRabbitMQClient(ResourceNames.RabbitMQ);

        builder.Services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        builder.Services.AddSingleton<TokenService>();
        builder.Services.AddMigration<AuthDbContext, AuthSeeder>();
        builder.Services.AddHttpClient<CatalogClient>(http => http.BaseAddress = new($"http://{ResourceNames.CatalogApi}"));

        builder.AddSignInRateLimiting();
        builder.AddOutbox<AuthDbContext>();
        builder.AddIntegrationEventSubscriptions();
    }

    private static void AddIntegrationEventSubscriptions(this IHostApplicationBuilder builder) =>
        builder.AddEventConsumer<QuestCompletedHandler>(MessagingNames.AuthEventsQueue, options =>
        {
            // Each completion costs a catalog call: small batches keep a slow catalog from holding many messages.
            options.PrefetchCount = 50;
            options.MaxBatchSize = 20;
        });

    // A token bucket per client address: bursts of sign-ins are fine, password guessing is not.
    private static void AddSignInRateLimiting(this IHostApplicationBuilder builder) =>
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(LoginApi.SignInRateLimitPolicy, context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value;
                return RateLimitPartition.GetTokenBucketLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = options.SignInBurst,
                        TokensPerPeriod = options.SignInsPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                    });
            });
        });
}
