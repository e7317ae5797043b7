using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using QuestAspire.Processing.Worker.Contracts;
using QuestAspire.Processing.Worker.Services;
using QuestAspire.ServiceDefaults.Authentication;

namespace QuestAspire.Processing.Worker.Apis;

public sealed record ProgressServices(ProcessingDbContext Db, QuestCatalog Catalog);

/// <summary>A user's quest progress and event log. Players read their own; admins read anyone's.</summary>
public static class ProgressApi
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    /// <summary>Maps <c>GET /api/users/{id}/progress</c> and <c>GET /api/users/{id}/events</c>; both need a valid token.</summary>
    public static RouteGroupBuilder MapProgressApi(this IEndpointRouteBuilder app)
    {
        // {id:guid}: a malformed id matches no route (404) rather than reaching a handler.
        var api = app.MapGroup("/api/users/{id:guid}").RequireAuthorization().WithTags("Progress");
        api.MapGet("/progress", GetProgressAsync).WithName("GetQuestProgress");
        api.MapGet("/events", GetEventsAsync).WithName("GetEvents");
        return api;
    }

    public static async Task<Results<Ok<List<QuestProgressResponse>>, ForbidHttpResult, ProblemHttpResult>> GetProgressAsync(
        Guid id, ClaimsPrincipal user, [AsParameters] ProgressServices services, CancellationToken cancellationToken)
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

        var rows = await services.Db.QuestProgress.AsNoTracking()
            .Where(p => p.UserId == id)
            .ToListAsync(cancellationToken);

        var result = rows.Select(row =>
        {
            var quest = quests.Quests.GetValueOrDefault(row.QuestId);
            return new QuestProgressResponse(row.QuestId, quest?.Name, row.Progress, quest?.Streak, row.Completions, quest?.Duplication, row.UpdatedAt);
        }).ToList();

        // Active quests the user has not signed in toward yet are listed too, at zero.
        var started = rows.Select(r => r.QuestId).ToHashSet();
        result.AddRange(quests.Active
            .Where(q => !started.Contains(q.QuestId))
            .Select(q => new QuestProgressResponse(q.QuestId, q.Name, 0, q.Streak, 0, q.Duplication, null)));

        return TypedResults.Ok(result
            .OrderBy(p => p.QuestName, StringComparer.Ordinal)
            .ThenBy(p => p.QuestId)
            .ToList());
    }

    public static async Task<Results<Ok<PagedResponse<EventResponse>>, ValidationProblem, ForbidHttpResult>> GetEventsAsync(
        Guid id,
        string? page,
        [FromQuery(Name = "page_size")] string? pageSize,
        ClaimsPrincipal user,
        [AsParameters] ProgressServices services,
        CancellationToken cancellationToken)
    {
        if (!CanRead(user, id))
        {
            return TypedResults.Forbid();
        }

        // Parsed here rather than bound as int?: a value like "abc" becomes a field error in the
        // same problem as a value out of range.
        var errors = new Dictionary<string, string[]>();
        if (!TryParseInRange(page, 1, 1, int.MaxValue, out var pageNumber))
        {
            errors["page"] = ["page must be a whole number, 1 or more."];
        }

        if (!TryParseInRange(pageSize, DefaultPageSize, 1, MaxPageSize, out var size))
        {
            errors["page_size"] = [$"page_size must be a whole number from 1 to {MaxPageSize}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
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
