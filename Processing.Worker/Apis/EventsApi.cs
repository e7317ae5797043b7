using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using QuestAspire.Processing.Worker.IntegrationEvents.Events;
using QuestAspire.ServiceDefaults.Api;
using QuestAspire.ServiceDefaults.Data;

namespace QuestAspire.Processing.Worker.Apis;

/// <summary>Who may report app events: a player's bearer token for their own, or the apps' service key (<see cref="HeaderName"/>) for anyone's.</summary>
public sealed class EventReportingOptions
{
    public const string SectionName = "Events";
    public const string HeaderName = "X-Service-Key";

    /// <summary>The service key; an AppHost secret parameter. Without one, only players report (their own events).</summary>
    public string? ServiceKey { get; set; }

    /// <summary>How far in the future <c>occurred_at</c> may be (clocks differ a little).</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>The rules' settings: events older than <see cref="GraceWindow"/> when processed are logged, not counted.</summary>
public sealed class QuestRulesOptions
{
    public const string SectionName = "Quests";

    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan GraceWindow { get; set; } = QuestEngine.DefaultGraceWindow;
}

/// <summary>The body of <c>POST /api/events</c>: <c>{ event_id, event_type, occurred_at, value?, user_id? }</c>.</summary>
public sealed record AppEventRequest(Guid? EventId, string? EventType, DateTimeOffset? OccurredAt, long? Value = null, Guid? UserId = null);

public sealed record AppEventAccepted(Guid EventId);

/// <summary>
/// <c>POST /api/events</c>: an app reports one of its player's events. It goes into the worker's
/// outbox and from there the same way as a sign-in (broker, consumer, event log, quest rules),
/// so it is counted exactly once however often it is sent; the answer is 202 once it is stored.
/// </summary>
public static partial class EventsApi
{
    public const int MaxEventTypeLength = 64;
    public const long MaxValue = 1_000_000;

    public static RouteGroupBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/events").WithTags("Events");
        api.MapPost("/", ReportAsync).WithName("ReportEvent")
            .Produces<AppEventAccepted>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return api;
    }

    /// <summary>
    /// With an <c>Idempotency-Key</c>, the answer is kept with the event in one transaction: the
    /// same key with the same body answers it again, with another body 422 (the event's own id
    /// already makes a repeat count once; the key also makes the answer the same).
    /// </summary>
    public static async Task<IResult> ReportAsync(
        AppEventRequest? request, HttpContext context, ProcessingDbContext db, OutboxSignal outboxSignal, IOptions<EventReportingOptions> options,
        TimeProvider timeProvider, ILogger<AppEventRequest> logger, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var byService = context.Request.Headers.TryGetValue(EventReportingOptions.HeaderName, out var key);
        if (byService && !IsServiceKey(key.ToString(), settings.ServiceKey))
        {
            return TypedResults.Unauthorized();
        }

        Guid? player = null;
        if (!byService)
        {
            if (context.User.Identity?.IsAuthenticated != true)
            {
                return TypedResults.Unauthorized();
            }

            if (!Guid.TryParse(context.User.FindFirstValue(JwtRegisteredClaimNames.Sub), out var subject))
            {
                return TypedResults.Forbid();
            }

            player = subject;
        }

        var now = timeProvider.GetUtcNow();
        var errors = Validate(request, player, now, settings.MaxClockSkew);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        // A player reports only their own events: naming someone else is refused, not ignored.
        var userId = player ?? request!.UserId!.Value;
        var e = new IntegrationEvent(request!.EventId!.Value, MessagingNames.AppEvent, userId, request.OccurredAt!.Value,
            System.Text.Json.JsonSerializer.SerializeToElement(new AppEventData(request.EventType!, request.Value ?? 1), ApiDefaults.JsonOptions));
        async Task<IResult> StoreAsync(CancellationToken ct)
        {
            if (await db.InsertOutboxMessagesAsync([OutboxMessage.Create(e, now)], ct, skipExisting: true) == 0)
            {
                // Sent before: already on its way (or counted). The same answer, and counted once.
                logger.LogInformation("Event {EventId} was reported again; it counts once", e.EventId);
            }

            return TypedResults.Accepted($"/api/users/{userId}/events", new AppEventAccepted(e.EventId));
        }

        var answer = context.Request.Headers.ContainsKey(Idempotency.HeaderName)
            ? await Idempotency.RunAsync(db, context, player?.ToString() ?? Idempotency.ServiceScope, request, StoreAsync, timeProvider, cancellationToken)
            : await StoreAsync(cancellationToken); // one statement: no transaction to open on the hot path
        outboxSignal.Notify();
        return answer;
    }

    private static Dictionary<string, string[]> Validate(AppEventRequest? request, Guid? player, DateTimeOffset now, TimeSpan skew)
    {
        var errors = new Dictionary<string, string[]>();
        if (request is null)
        {
            errors["body"] = ["A JSON object { event_id, event_type, occurred_at, value? } is required."];
            return errors;
        }

        if (request.EventId is null || request.EventId == Guid.Empty)
        {
            errors["event_id"] = ["event_id is required: a uuid the app chooses, the same on every retry of the event."];
        }

        if (string.IsNullOrEmpty(request.EventType))
        {
            errors["event_type"] = ["event_type is required, for example \"match_won\"."];
        }
        else if (!EventTypePattern().IsMatch(request.EventType))
        {
            errors["event_type"] = [$"event_type must be lower-case letters, digits and underscores, starting with a letter, at most {MaxEventTypeLength} characters."];
        }
        else if (request.EventType == QuestRule.SignInType)
        {
            errors["event_type"] = ["sign_in is reserved: sign-ins are reported by Auth when a player signs in."];
        }

        if (request.OccurredAt is null)
        {
            errors["occurred_at"] = ["occurred_at is required: an ISO-8601 date-time with its offset, for example 2026-12-02T18:30:00Z."];
        }
        else if (request.OccurredAt > now + skew)
        {
            errors["occurred_at"] = [$"occurred_at is in the future (more than {skew.TotalMinutes:0} minutes ahead of the server's clock)."];
        }

        if (request.Value is < 1 or > MaxValue)
        {
            errors["value"] = [$"value must be a whole number from 1 to {MaxValue:N0}."];
        }

        if (player is null && (request.UserId is null || request.UserId == Guid.Empty))
        {
            errors["user_id"] = ["user_id is required with the service key: the player the event is of."];
        }
        else if (player is not null && request.UserId is { } named && named != player)
        {
            errors["user_id"] = ["A player reports only their own events: leave user_id out, or give your own."];
        }

        return errors;
    }

    // Fixed-time: how much of a guess matches must not show in how long the answer takes.
    private static bool IsServiceKey(string given, string? expected) =>
        !string.IsNullOrEmpty(expected)
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    [GeneratedRegex("^[a-z][a-z0-9_]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex EventTypePattern();
}
