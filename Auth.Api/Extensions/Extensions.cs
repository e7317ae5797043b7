using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using QuestAspire.Auth.Api.Apis;
using QuestAspire.Auth.Api.Contracts;
using QuestAspire.Auth.Api.IntegrationEvents.Handlers;
using QuestAspire.Auth.Api.Model;
using QuestAspire.Auth.Api.Services;
using QuestAspire.ServiceDefaults.Api;
using QuestAspire.ServiceDefaults.Catalog;
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
        builder.Services.AddSingleton<PasswordGate>();
        builder.Services.AddSingleton<TokenService>();
        builder.Services.AddMigration<AuthDbContext, AuthSeeder>();

        builder.AddSignInRateLimiting();
        builder.AddOutbox<AuthDbContext>();
        builder.AddIntegrationEventSubscriptions();
    }

    private static void AddIntegrationEventSubscriptions(this IHostApplicationBuilder builder)
    {
        // Auth's own catalog copy, for QuestCompleted events that do not carry their reward.
        builder.AddCatalogCopy<CatalogQuest>(MessagingNames.AuthCatalogQueue);
        // A batch of claims is two statements whatever its size: large batches, as in the worker.
        builder.AddEventConsumer<QuestCompletedHandler>(MessagingNames.AuthEventsQueue, [MessagingNames.QuestCompleted], options =>
        {
            options.PrefetchCount = 2000;
            options.MaxBatchSize = 1000;
        });
    }

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
