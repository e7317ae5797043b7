using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using QuestAspire.Processing.Worker.Contracts;
using QuestAspire.Processing.Worker.Services;
using QuestAspire.ServiceDefaults.Api;
using QuestAspire.ServiceDefaults.Authentication;
using QuestAspire.Quests;

namespace QuestAspire.Processing.Worker.Apis;

/// <summary>A user's quest progress and event log. Players read their own; admins read anyone's.</summary>
public static class ProgressApi
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    /// <summary>The progress stream's event types: subscribed (first), the player's progress changed, and the heartbeat.</summary>
    public const string ReadyEvent = "ready";
    public const string ChangedEvent = "changed";
    public const string HeartbeatEvent = "heartbeat";

    /// <summary>
    /// How often an idle progress stream sends a heartbeat: a write to a connection that is gone
    /// fails and ends the stream here, and a client that hears nothing for longer knows its stream is dead.
    /// </summary>
    public static readonly TimeSpan StreamHeartbeat = TimeSpan.FromSeconds(15);

    /// <summary>Maps <c>GET /api/users/{id}/progress</c> (and its stream), <c>/events</c> and a quest's <c>/explain</c>; all need a valid token.</summary>
    public static RouteGroupBuilder MapProgressApi(this IEndpointRouteBuilder app)
    {
        // {id:guid}: a malformed id matches no route (404) rather than reaching a handler.
        var api = app.MapGroup("/api/users/{id:guid}").RequireAuthorization().WithTags("Progress");
        // Players read their own (403 for anyone else's), admins anyone's.
        api.MapGet("/progress", GetProgressAsync).WithName("GetQuestProgress")
            .WithSummary("A player's progress on every quest in its current period")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/progress/stream", StreamProgress).WithName("StreamQuestProgress")
            .WithSummary("Server-sent events: `ready` once subscribed, `changed` each time the player's progress changed, `heartbeat` every 15 s")
            .ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/events", GetEventsAsync).WithName("GetEvents")
            .WithSummary("A player's event log, newest first, a page at a time")
            .ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/quests/{questId:guid}/explain", ExplainAsync).WithName("ExplainQuest")
            .WithSummary("Why a quest shows what it shows: the player's events replayed through its rules")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return api;
    }

    public static async Task<Results<Ok<List<QuestProgressResponse>>, ForbidHttpResult, ProblemHttpResult>> GetProgressAsync(
        Guid id, ClaimsPrincipal user, [AsParameters] ProcessingServices services, CancellationToken cancellationToken)
    {
        if (!CanRead(user, id))
        {
            return TypedResults.Forbid();
        }

        if (!services.Catalog.IsLoaded)
        {
            return TypedResults.Problem("The quest catalog has not been loaded yet; try again shortly.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var quests = services.Catalog.Current();
        var now = services.Time.GetUtcNow();
        var zoneId = await services.Db.PlayerZones.AsNoTracking().Where(z => z.UserId == id).Select(z => z.TimeZone).SingleOrDefaultAsync(cancellationToken);
        var zone = QuestSchedule.ZoneOf(zoneId);

        // Only the rows of each quest's current period; earlier periods are history.
        var periods = quests.Quests.Values.ToDictionary(q => q.QuestId, q => QuestEngine.PeriodOf(q, now, zone));
        var starts = periods.Values.Select(p => p.Start.ToUniversalTime()).Append(QuestPeriod.Forever.Start).Distinct().ToArray();
        var rows = (await services.Db.QuestProgress.AsNoTracking()
                .Where(p => p.UserId == id && starts.Contains(p.PeriodStart))
                .ToListAsync(cancellationToken))
            .Where(r => periods.TryGetValue(r.QuestId, out var period) ? period.Start == r.PeriodStart : r.PeriodStart == QuestPeriod.Forever.Start)
            .ToDictionary(r => r.QuestId);
        var totals = (await services.Db.QuestProgress.AsNoTracking()
                .Where(p => p.UserId == id && p.Completions > 0)
                .GroupBy(p => p.QuestId)
                .Select(g => new { QuestId = g.Key, Completions = g.Sum(p => p.Completions) })
                .ToListAsync(cancellationToken))
            .ToDictionary(t => t.QuestId, t => t.Completions);

        // Active quests are listed at zero until something counts; inactive ones only with progress in this period.
        var listed = quests.Active.Select(q => q.QuestId).Union(rows.Keys);
        var today = QuestEngine.DayNumber(now, zone);
        var result = listed.Select(questId =>
        {
            var row = rows.GetValueOrDefault(questId);
            if (!quests.Quests.TryGetValue(questId, out var quest))
            {
                return new QuestProgressResponse(questId, null, row?.Progress ?? 0, null, row?.Completions ?? 0, null, row?.UpdatedAt) { TimeZone = zone.Id };
            }

            var unmet = quest.PreconditionIds.Where(p => totals.GetValueOrDefault(p) == 0)
                .Select(p => new QuestReference(p, quests.Quests.GetValueOrDefault(p)?.Name))
                .ToList();
            var streak = quest.Kind == QuestKind.DailyStreak ? row?.StreakOn(quest, today) ?? (0, quest.Freezes) : ((int, int)?)null;
            return new QuestProgressResponse(questId, quest.Name, streak?.Item1 ?? row?.Progress ?? 0, quest.Streak, row?.Completions ?? 0, quest.Duplication, row?.UpdatedAt)
            {
                Settings = new QuestSettingsInput(
                    quest.EventType,
                    quest.Kind == QuestKind.DailyStreak ? QuestSettings.DailyStreakKind : QuestSettings.CountKind,
                    quest.Kind == QuestKind.DailyStreak ? quest.Freezes : null,
                    quest.Reset.Text,
                    quest.StartsAt,
                    quest.EndsAt,
                    quest.PreconditionIds,
                    quest.ValueMode == ValueMode.Sum ? QuestSettings.SumMode : QuestSettings.CountMode),
                PeriodEndsAt = periods[questId].End,
                StreakDays = streak?.Item1,
                FreezesLeft = streak?.Item2,
                Locked = unmet.Count > 0,
                LockedBy = unmet,
                TimeZone = zone.Id,
            };
        });

        return TypedResults.Ok(result
            .OrderBy(p => p.QuestName, StringComparer.Ordinal)
            .ThenBy(p => p.QuestId)
            .ToList());
    }

    /// <summary>
    /// The player's progress notifications as they reach this replica (every replica hears every
    /// <c>ProgressChanged</c>): no data, only "look again", so a client refreshes on <c>changed</c>
    /// and, after a reconnection, once on <c>ready</c>. It ends when the client goes or the app stops.
    /// </summary>
    public static Results<ServerSentEventsResult<string>, ForbidHttpResult> StreamProgress(
        Guid id, ClaimsPrincipal user, ProgressHub hub, TimeProvider timeProvider, IHostApplicationLifetime lifetime, CancellationToken cancellationToken)
    {
        if (!CanRead(user, id))
        {
            return TypedResults.Forbid();
        }

        return TypedResults.ServerSentEvents(ProgressEventsAsync(hub, id, timeProvider, cancellationToken, lifetime.ApplicationStopping));
    }

    // Subscribed (when the stream is first read) before the first item, so nothing committed after
    // "ready" is missed. Ends without an exception when the request or the app ends: a stream that
    // ends is not an error.
    private static async IAsyncEnumerable<SseItem<string>> ProgressEventsAsync(
        ProgressHub hub, Guid id, TimeProvider timeProvider, CancellationToken requestAborted, CancellationToken stopping,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var subscription = hub.Subscribe(id);
        using var end = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, stopping, cancellationToken);
        var userId = id.ToString();
        yield return new SseItem<string>(userId, ReadyEvent);
        while (!end.IsCancellationRequested)
        {
            bool changed;
            try
            {
                changed = await subscription.WaitAsync(StreamHeartbeat, timeProvider, end.Token);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }

            yield return changed ? new SseItem<string>(userId, ChangedEvent) : new SseItem<string>("", HeartbeatEvent);
        }
    }

    public static async Task<Results<Ok<PagedResponse<EventResponse>>, ValidationProblem, ForbidHttpResult>> GetEventsAsync(
        Guid id,
        string? page,
        [FromQuery(Name = "page_size")] string? pageSize,
        ClaimsPrincipal user,
        [AsParameters] ProcessingServices services,
        CancellationToken cancellationToken)
    {
        if (!CanRead(user, id))
        {
            return TypedResults.Forbid();
        }

        // Parsed here rather than bound as int?: a value like "abc" becomes a field error in the
        // same problem as a value out of range.
        var errors = new FieldErrors();
        if (!TryParseInRange(page, 1, 1, int.MaxValue, out var pageNumber))
        {
            errors.Add("page", "page must be a whole number, 1 or more.");
        }

        if (!TryParseInRange(pageSize, DefaultPageSize, 1, MaxPageSize, out var size))
        {
            errors.Add("page_size", $"page_size must be a whole number from 1 to {MaxPageSize}.");
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var events = services.Db.Events.AsNoTracking().Where(e => e.UserId == id);
        var total = await events.CountAsync(cancellationToken);

        // A page past the end is empty, however far past (no overflow into a 500).
        var skip = (long)(pageNumber - 1) * size;
        var entries = skip >= total
            ? []
            : await events
                .OrderByDescending(e => e.OccurredAt)
                .ThenByDescending(e => e.EventId)
                .Skip((int)skip)
                .Take(size)
                .ToListAsync(cancellationToken);

        var items = entries.Select(e => new EventResponse(
            e.EventId, e.EventType, e.UserId, e.OccurredAt, e.RecordedAt, JsonSerializer.Deserialize<JsonElement>(e.Data))).ToList();
        return TypedResults.Ok(new PagedResponse<EventResponse>(items, pageNumber, size, total));
    }

    /// <summary>
    /// Why a quest shows what it shows: the player's whole log replayed through the rules from zero
    /// (<see cref="LogReplay"/>), each event with the quests live processing counted it with
    /// (<see cref="CatalogHistory"/>); one entry per event of a type the quest uses, oldest first,
    /// with what it did. An event from before the quest was active says so.
    /// </summary>
    public static async Task<Results<Ok<ExplainResponse>, ForbidHttpResult, NotFoundProblem, ProblemHttpResult>> ExplainAsync(
        Guid id, Guid questId, ClaimsPrincipal user, [AsParameters] ProcessingServices services, ILogger<CatalogHistory> logger, CancellationToken cancellationToken)
    {
        if (!CanRead(user, id))
        {
            return TypedResults.Forbid();
        }

        if (!services.Catalog.IsLoaded)
        {
            return TypedResults.Problem("The quest catalog has not been loaded yet; try again shortly.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var catalog = services.Catalog.Current();
        if (!catalog.Quests.TryGetValue(questId, out var quest))
        {
            return new NotFoundProblem($"The catalog has no quest {questId}.", "Quest not found");
        }

        var history = await CatalogHistory.LoadAsync(services.Db, catalog, logger, cancellationToken);
        var log = LogReplay.InProcessingOrder(await services.Db.Events.AsNoTracking().Where(e => e.UserId == id).ToListAsync(cancellationToken)).ToList();
        var player = new PlayerProgress(id, QuestSchedule.ZoneOf(null));
        var explained = new Dictionary<Guid, ExplainedEvent>();
        LogReplay.Replay(services.Engine, e => history.At(e.CatalogVersion).Active, log, _ => player, (e, q, outcome) =>
        {
            if (q.QuestId == questId)
            {
                explained[e.EventId] = new ExplainedEvent(e.EventId, e.EventType, e.OccurredAt, outcome.Counted, LogReplay.Describe(outcome.Reason));
            }
        });

        // Events of the quest's type it did not count with at all: it was not active (or did not exist) then.
        var notActive = log
            .Where(e => !explained.ContainsKey(e.EventId) && LogReplay.ToQuestEvent(e) is { } q && QuestEngine.Uses(quest, q))
            .Select(e => new ExplainedEvent(e.EventId, e.EventType, e.OccurredAt, false, LogReplay.NotActive));
        return TypedResults.Ok(new ExplainResponse([.. explained.Values.Concat(notActive).OrderBy(e => e.OccurredAt).ThenBy(e => e.EventId)]));
    }

    private static bool TryParseInRange(string? value, int missing, int min, int max, out int result)
    {
        if (string.IsNullOrEmpty(value))
        {
            result = missing;
            return true;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out result) && result >= min && result <= max;
    }

    // Not GetUserId(): a token without a usable sub is refused (403), not a 500.
    private static bool CanRead(ClaimsPrincipal user, Guid id) =>
        user.IsAdmin()
        || (Guid.TryParse(user.FindFirstValue(JwtRegisteredClaimNames.Sub), out var subject) && subject == id);
}
