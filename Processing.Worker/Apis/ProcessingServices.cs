using Microsoft.Extensions.Options;
using QuestAspire.Processing.Worker.Services;

namespace QuestAspire.Processing.Worker.Apis;

/// <summary>What the worker's handlers need, bound with <c>[AsParameters]</c>.</summary>
public sealed class ProcessingServices(
    ProcessingDbContext db,
    QuestCatalog catalog,
    QuestEngine engine,
    ProgressRebuilder rebuilder,
    OutboxSignal outboxSignal,
    IOptions<EventReportingOptions> eventReporting,
    TimeProvider time,
    ILogger<ProcessingServices> logger)
{
    public ProcessingDbContext Db { get; } = db;

    /// <summary>The worker's own copy of the catalog.</summary>
    public QuestCatalog Catalog { get; } = catalog;

    public QuestEngine Engine { get; } = engine;

    public ProgressRebuilder Rebuilder { get; } = rebuilder;

    public OutboxSignal OutboxSignal { get; } = outboxSignal;

    // [AsParameters] binds each constructor parameter to the property of the same name and type.
    public IOptions<EventReportingOptions> EventReporting { get; } = eventReporting;

    public TimeProvider Time { get; } = time;

    public ILogger<ProcessingServices> Logger { get; } = logger;
}
