using QuestAspire.Processing.Worker.Apis;
using QuestAspire.Processing.Worker.IntegrationEvents.Handlers;
using QuestAspire.Processing.Worker.Services;
using Microsoft.Extensions.Options;
using QuestAspire.ServiceDefaults.Api;
using QuestAspire.ServiceDefaults.Telemetry;

namespace QuestAspire.Processing.Worker.Extensions;

public static class Extensions
{
    /// <summary>Adds the read API, the database (migrated at start), the in-memory quest catalog, the outbox, the event consumer and the progress streams' hub.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddApiDefaults();
        builder.AddOpenApiDefaults();
        builder.AddServiceTelemetry(ProcessingTelemetry.Service);
        builder.Services.AddSingleton<ProcessingTelemetry>();

        builder.AddNpgsqlDbContext<ProcessingDbContext>(ResourceNames.ProcessingDb);
        // Registered before the consumer and the relay: hosted services start in order, so no
        // event is handled before the tables exist.
        builder.Services.AddMigration<ProcessingDbContext, ProcessingSeeder>();

        builder.AddRabbitMQClient(ResourceNames.RabbitMQ);
        builder.AddTokenRevocationFeed();
        builder.AddQuestRules();
        builder.AddQuestCatalog();
        builder.AddEventSubscriptions();
    }

    // The rules, and who reports events: players for themselves, apps with the service key for anyone.
    private static void AddQuestRules(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<QuestRulesOptions>()
            .BindConfiguration(QuestRulesOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(services => new QuestEngine(services.GetRequiredService<IOptions<QuestRulesOptions>>().Value.GraceWindow));
        builder.Services.AddOptions<EventReportingOptions>()
            .BindConfiguration(EventReportingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ProgressNotifier>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ProgressNotifier>());
    }

    // The worker's own copy of the catalog, fed by catalog events on a queue per replica.
    private static void AddQuestCatalog(this IHostApplicationBuilder builder)
    {
        builder.AddCatalogCopy<CatalogQuest>(EventNames.ProcessingCatalogQueue);
        builder.Services.AddSingleton<QuestCatalog>();
        builder.Services.AddSingleton<ProgressRebuilder>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ProgressRebuilder>());
    }

    private static void AddEventSubscriptions(this IHostApplicationBuilder builder)
    {
        builder.AddOutbox<ProcessingDbContext>();
        // Bigger batches than the default: a batch costs a handful of statements whatever its size,
        // so throughput grows with it (about 1.2k/s at 200 and 4k/s at 1000 events on a loaded
        // two-core machine). Messaging:processing-events in configuration overrides these.
        builder.AddEventConsumer<QuestEventHandler>(
            EventNames.ProcessingEventsQueue,
            [EventNames.NewUserSignIn, EventNames.UserSignIn, EventNames.AppEvent, EventNames.TimeZoneChanged],
            options =>
            {
                options.PrefetchCount = 2000;
                options.MaxBatchSize = 1000;
            });

        // The progress streams: a player's stream may be open on a replica other than the one that
        // counted their events, so every replica hears every ProgressChanged on a queue of its own
        // (processing-progress.{instance}, exclusive, gone with the process).
        builder.Services.AddSingleton<ProgressHub>();
        builder.AddEventConsumer<ProgressChangedHandler>(EventNames.ProcessingProgressQueue, [EventNames.ProgressChanged], options =>
        {
            options.Broadcast = true;
            options.PrefetchCount = 100;
            options.MaxBatchSize = 100;
        });
    }
}
