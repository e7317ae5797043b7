using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using QuestAspire.ServiceDefaults.Api;

namespace QuestAspire.EventBus;

/// <summary>
/// The wire envelope of every integration event:
/// <c>{ "event_id", "event_type", "user_id", "occurred_at", "data" }</c>. Services keep their own
/// records for <see cref="Data"/>; fields may be added, never renamed.
/// </summary>
public sealed record IntegrationEvent(Guid EventId, string EventType, Guid UserId, DateTimeOffset OccurredAt, JsonElement Data)
{
    private static readonly JsonElement EmptyData = JsonSerializer.SerializeToElement(new { });

    public static IntegrationEvent Create(string eventType, Guid userId, DateTimeOffset occurredAt, object? data = null) =>
        new(Guid.CreateVersion7(occurredAt), eventType, userId, occurredAt,
            data is null ? EmptyData : JsonSerializer.SerializeToElement(data, ApiDefaults.JsonOptions));

    public T GetData<T>() =>
        Data.Deserialize<T>(ApiDefaults.JsonOptions) ?? throw new JsonException($"{EventType} {EventId} has no data.");

    public byte[] Serialize() => JsonSerializer.SerializeToUtf8Bytes(this, ApiDefaults.JsonOptions);

    /// <summary>Parses a message body; a message that is not a well-formed event gets the reason why not.</summary>
    public static bool TryParse(ReadOnlyMemory<byte> body, [NotNullWhen(true)] out IntegrationEvent? integrationEvent, [NotNullWhen(false)] out string? reason)
    {
        integrationEvent = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                reason = "the body is not a JSON object";
                return false;
            }

            if (!TryGetGuid(root, "event_id", out var eventId) || !TryGetGuid(root, "user_id", out var userId))
            {
                reason = "event_id and user_id must be non-empty UUIDs";
                return false;
            }

            if (!root.TryGetProperty("event_type", out var type) || type.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(type.GetString()))
            {
                reason = "event_type is missing";
                return false;
            }

            if (!root.TryGetProperty("occurred_at", out var occurred) || !occurred.TryGetDateTimeOffset(out var occurredAt))
            {
                reason = "occurred_at is missing or not a date-time";
                return false;
            }

            var data = root.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d.Clone() : EmptyData;
            integrationEvent = new IntegrationEvent(eventId, type.GetString()!, userId, occurredAt, data);
            reason = null;
            return true;
        }
        catch (JsonException e)
        {
            reason = $"the body is not valid JSON: {e.Message}";
            return false;
        }
    }

    private static bool TryGetGuid(JsonElement root, string name, out Guid value)
    {
        value = Guid.Empty;
        return root.TryGetProperty(name, out var property)
            && property.ValueKind == JsonValueKind.String
            && property.TryGetGuid(out value)
            && value != Guid.Empty;
    }
}
