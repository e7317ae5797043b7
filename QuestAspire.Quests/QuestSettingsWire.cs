using System.Text.Json.Serialization;

namespace QuestAspire.Quests;

// The quest settings on the wire, spelled out once. JSON has no nesting-free composition, so a
// contract that carries them flat (as every quest body and answer does) derives from one of these
// records: System.Text.Json writes and reads a base record's properties as the contract's own.
// Order 1 puts them after the contract's own fields (order 0), where they have always been.

/// <summary>
/// The settings as a request sends them, or as a reader takes a snapshot that may predate some:
/// each optional, null is the default (<see cref="QuestFields.CheckSettings"/>).
/// </summary>
public abstract record QuestSettingsRequest
{
    [JsonPropertyOrder(1)]
    public string? EventType { get; init; }

    [JsonPropertyOrder(1)]
    public string? Kind { get; init; }

    [JsonPropertyOrder(1)]
    public int? Freezes { get; init; }

    [JsonPropertyOrder(1)]
    public string? Reset { get; init; }

    [JsonPropertyOrder(1)]
    public DateTimeOffset? StartsAt { get; init; }

    [JsonPropertyOrder(1)]
    public DateTimeOffset? EndsAt { get; init; }

    [JsonPropertyOrder(1)]
    public IReadOnlyList<Guid>? PreconditionIds { get; init; }

    [JsonPropertyOrder(1)]
    public string? ValueMode { get; init; }

    /// <summary>All the settings at once: what the rules check (<see cref="QuestFields.CheckSettings"/>), or what a copy is made from.</summary>
    [JsonIgnore]
    public QuestSettingsInput Settings
    {
        get => new(EventType, Kind, Freezes, Reset, StartsAt, EndsAt, PreconditionIds, ValueMode);
        init => (EventType, Kind, Freezes, Reset, StartsAt, EndsAt, PreconditionIds, ValueMode) =
            (value.EventType, value.Kind, value.Freezes, value.Reset, value.StartsAt, value.EndsAt, value.PreconditionIds, value.ValueMode);
    }
}

/// <summary>
/// The settings as an answer (or a snapshot) carries them, each with its default, so a snapshot
/// made before a field existed reads as the seed quest's kind.
/// </summary>
public abstract record QuestSettingsResponse
{
    [JsonPropertyOrder(1)]
    public string EventType { get; init; } = QuestSettings.SignIn;

    [JsonPropertyOrder(1)]
    public string Kind { get; init; } = QuestSettings.CountKind;

    [JsonPropertyOrder(1)]
    public int Freezes { get; init; }

    [JsonPropertyOrder(1)]
    public string? Reset { get; init; }

    [JsonPropertyOrder(1)]
    public DateTimeOffset? StartsAt { get; init; }

    [JsonPropertyOrder(1)]
    public DateTimeOffset? EndsAt { get; init; }

    [JsonPropertyOrder(1)]
    public IReadOnlyList<Guid> PreconditionIds { get; init; } = [];

    [JsonPropertyOrder(1)]
    public string ValueMode { get; init; } = QuestSettings.CountMode;

    /// <summary>All the settings at once: what a contract is made from and read as.</summary>
    [JsonIgnore]
    public QuestSettings Settings
    {
        get => new(EventType, Kind, Freezes, Reset, StartsAt, EndsAt, PreconditionIds, ValueMode);
        init => (EventType, Kind, Freezes, Reset, StartsAt, EndsAt, PreconditionIds, ValueMode) =
            (value.EventType, value.Kind, value.Freezes, value.Reset, value.StartsAt, value.EndsAt, [.. value.PreconditionIds], value.ValueMode);
    }
}
