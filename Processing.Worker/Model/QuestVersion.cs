namespace QuestAspire.Processing.Worker.Model;

/// <summary>
/// One version of one catalog quest as the worker counted events with it: every definition the
/// worker's catalog copy held when it processed a batch, stored once. With each logged event's
/// <see cref="LoggedEvent.CatalogVersion"/> it lets a replay use the definitions live processing used.
/// </summary>
public sealed class QuestVersion
{
    public Guid QuestId { get; private set; }

    public long Version { get; private set; }

    /// <summary>The catalog's snapshot of the quest (a <c>CatalogQuest</c>), as JSON.</summary>
    public string Definition { get; private set; } = "{}";

    public DateTimeOffset RecordedAt { get; private set; }

    public static QuestVersion Of(Guid questId, long version, string definition, DateTimeOffset recordedAt) =>
        new() { QuestId = questId, Version = version, Definition = definition, RecordedAt = recordedAt.ToUniversalTime() };
}
