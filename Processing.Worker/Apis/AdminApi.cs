using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using QuestAspire.Processing.Worker.Contracts;
using QuestAspire.Processing.Worker.Services;
using QuestAspire.ServiceDefaults.Api;
using QuestAspire.ServiceDefaults.Authentication;
using QuestAspire.Quests;

namespace QuestAspire.Processing.Worker.Apis;

/// <summary>What the event log can answer for a designer: a draft quest's backtest, and a rebuild of the progress projection. Admins only.</summary>
public static class AdminApi
{
    public static RouteGroupBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/admin").RequireAuthorization(Policies.Admin).WithTags("Admin");
        api.MapPost("/backtest", BacktestAsync).WithName("Backtest")
            .WithSummary("Run a draft quest over the event log; writes nothing");
        api.MapPost("/progress/rebuild", StartRebuildAsync).WithName("StartProgressRebuild")
            .WithSummary("Rebuild quest progress from the event log (or answer the rebuild running)");
        api.MapGet("/progress/rebuild/{rebuildId:guid}", GetRebuildAsync).WithName("GetProgressRebuild")
            .WithSummary("How a progress rebuild is going");
        return api;
    }

    /// <summary>Runs the draft over the log through the live rules, from zero progress; writes nothing.</summary>
    public static async Task<Results<Ok<BacktestResponse>, ValidationProblem>> BacktestAsync(
        BacktestRequest request, [AsParameters] ProcessingServices services, CancellationToken cancellationToken)
    {
        var now = services.Time.GetUtcNow();
        var (from, to) = (request.From ?? DateTimeOffset.UnixEpoch, request.To ?? now);
        var errors = new FieldErrors();
        var draft = ToRule(request.Quest, errors);
        if (to <= from)
        {
            errors.Add("to", "to must be after from.");
        }

        if (errors.Count > 0 || draft is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var clock = Stopwatch.StartNew();
        var backtest = new Backtest(services.Engine, draft, from, to);
        await using var connection = new NpgsqlConnection(services.Db.Database.GetConnectionString());
        await connection.OpenAsync(cancellationToken);
        await foreach (var stream in EventLogReader.ReadForBacktestAsync(connection, backtest.EventTypes, from, to, draft.PreconditionIds, cancellationToken))
        {
            backtest.Add(stream);
        }

        var result = backtest.Result();
        return TypedResults.Ok(new BacktestResponse(result.EventsScanned, result.Players, result.Completions,
            new RewardTotals(result.Gold, result.Diamond), [.. result.ByDay.Select(d => new BacktestDay(d.Day, d.Completions))])
        {
            ElapsedMs = clock.ElapsedMilliseconds,
        });
    }

    // The catalog's own rules for the fields (QuestFields), under "quest.", then the rule the engine runs.
    private static QuestRule? ToRule(DraftQuest? quest, FieldErrors errors)
    {
        if (quest is null)
        {
            errors.Add("quest", "quest is required: the draft's fields, as in the catalog, with reward: { item, qty }.");
            return null;
        }

        var fields = new FieldErrors("quest.");
        var settings = QuestFields.CheckSettings(quest.Settings, fields);
        QuestFields.CheckCounts(quest.Streak, quest.Duplication, settings, fields);
        var rewardFields = new FieldErrors("quest.reward.");
        var item = quest.Reward is null ? null : QuestFields.CheckReward(quest.Reward.Item, quest.Reward.Qty, rewardFields);
        if (quest.Reward is null)
        {
            fields.Add("reward", "reward is required: { item: gold or diamond, qty }.");
        }

        foreach (var (field, messages) in fields.ToDictionary().Concat(rewardFields.ToDictionary()))
        {
            foreach (var message in messages)
            {
                errors.Add(field, message);
            }
        }

        if (errors.Count > 0)
        {
            return null;
        }

        return QuestCatalog.ToRule(new CatalogQuest(Guid.CreateVersion7(), string.IsNullOrWhiteSpace(quest.Name) ? "draft" : quest.Name, quest.Streak!.Value, quest.Duplication!.Value,
            AutoClaim: false, IsActive: true, Version: 0, new CatalogReward(item!, quest.Reward!.Qty!.Value))
        {
            Settings = settings.AsInput(),
        });
    }

    /// <summary>Starts a rebuild (or answers the one running): 202 with its id and where to follow it.</summary>
    public static async Task<Accepted<RebuildStarted>> StartRebuildAsync([AsParameters] ProcessingServices services, CancellationToken cancellationToken)
    {
        var (rebuildId, _) = await services.Rebuilder.StartRebuildAsync(cancellationToken);
        return TypedResults.Accepted($"/api/admin/progress/rebuild/{rebuildId}", new RebuildStarted(rebuildId, ProgressRebuild.Running));
    }

    public static async Task<Results<Ok<RebuildResponse>, NotFoundProblem>> GetRebuildAsync(
        Guid rebuildId, [AsParameters] ProcessingServices services, CancellationToken cancellationToken)
    {
        var rebuild = await services.Db.ProgressRebuilds.AsNoTracking().SingleOrDefaultAsync(r => r.RebuildId == rebuildId, cancellationToken);
        if (rebuild is null)
        {
            return new NotFoundProblem($"There is no progress rebuild {rebuildId}.", "Rebuild not found");
        }

        var now = services.Time.GetUtcNow();
        return TypedResults.Ok(new RebuildResponse(rebuild.RebuildId, rebuild.StatusAt(now), rebuild.EventsApplied, rebuild.EventsTotal, rebuild.Players,
            rebuild.RowsChanged, rebuild.StartedAt, rebuild.FinishedAt, rebuild.ErrorAt(now)));
    }
}
