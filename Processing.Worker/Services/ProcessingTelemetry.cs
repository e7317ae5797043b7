using System.Diagnostics;
using System.Diagnostics.Metrics;
using QuestAspire.ServiceDefaults.Telemetry;

namespace QuestAspire.Processing.Worker.Services;

/// <summary>The worker's spans and counters, on the service's <c>QuestAspire.Processing</c> source and meter.</summary>
public sealed class ProcessingTelemetry
{
    public const string Service = "Processing";

    private readonly Counter<long> _completions;

    public ProcessingTelemetry(ServiceTelemetry telemetry)
    {
        ActivitySource = telemetry.ActivitySource;
        _completions = telemetry.Meter.CreateCounter<long>("processing.quest.completions", unit: "{completion}",
            description: "Quest completions recorded (each becomes a QuestCompleted event).");
    }

    public ActivitySource ActivitySource { get; }

    public void QuestCompleted(QuestRule quest) =>
        _completions.Add(1, new KeyValuePair<string, object?>("quest.name", quest.Name));
}
