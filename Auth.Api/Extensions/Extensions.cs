using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using QuestAspire.Auth.Api.Apis;
using QuestAspire.Auth.Api.IntegrationEvents.Handlers;
using QuestAspire.Auth.Api.Model;
using QuestAspire.Auth.Api.Services;
using QuestAspire.ServiceDefaults.Api;
using QuestAspire.Data;
using QuestAspire.EventBus;
using QuestAspire.ServiceDefaults.Telemetry;

namespace QuestAspire.Auth.Api.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddApiDefaults();
        builder.AddOpenApiDefaults();
        builder.AddServiceTelemetry(AuthTelemetry.Service);
        builder.Services.AddSingleton<AuthTelemetry>();
        builder.AddNpgsqlDbContext<AuthDbContext>(ResourceNames.AuthDb);
        builder.AddRabbitMQClient(ResourceNames.RabbitMQ);
        builder.AddTokenRevocationFeed();

        builder.Services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<SignInLockoutOptions>()
            .BindConfiguration(SignInLockoutOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => new LockoutPolicy(sp.GetRequiredService<IOptions<SignInLockoutOptions>>().Value));
        builder.Services.AddScoped<SignInThrottles>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        builder.Services.AddSingleton<PasswordGate>();
        builder.Services.AddSingleton<SignUpLimiter>();
        builder.Services.AddSingleton<TokenService>();
        builder.Services.AddSingleton<WalletWriter>();
        builder.Services.AddMigration<AuthDbContext, AuthSeeder>();

        builder.AddTrustedProxies();
        builder.AddClientRateLimiting();
        builder.AddOutbox<AuthDbContext>();
        builder.AddIntegrationEventSubscriptions();
    }

    private static void AddIntegrationEventSubscriptions(this IHostApplicationBuilder builder)
    {
        // A batch of claims is two statements whatever its size: large batches, as in the worker.
        builder.AddEventConsumer<QuestCompletedHandler>(EventNames.AuthEventsQueue, [EventNames.QuestCompleted], options =>
        {
            options.PrefetchCount = 2000;
            options.MaxBatchSize = 1000;
        });
    }

    // Sign-ins per client address (the browser's, when the Web forwards it from a trusted proxy):
    // bursts are fine, password guessing is not. A refusal is a problem answer with Retry-After.
    // (Sign-ups have their own limit, SignUpLimiter, counted after validation.)
    private static void AddClientRateLimiting(this IHostApplicationBuilder builder) =>
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = RejectAsync;
            limiter.AddPolicy(LoginApi.SignInRateLimitPolicy, context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value;
                return RateLimitPartition.GetTokenBucketLimiter(
                    AuthAnswers.ClientAddress(context),
                    _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = options.SignInBurst,
                        TokensPerPeriod = options.SignInsPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                    });
            });
        });

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        var seconds = AuthAnswers.RetryAfterSeconds(wait);
        await AuthAnswers.TooMany(context, "sign-in attempts", seconds).ExecuteAsync(context);
    }
}
