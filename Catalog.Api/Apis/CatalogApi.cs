using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using QuestAspire.ServiceDefaults.Api;
using QuestAspire.ServiceDefaults.Authentication;
using static QuestAspire.Catalog.Api.Model.CatalogRules;

namespace QuestAspire.Catalog.Api.Apis;

/// <summary>
/// Quests and rewards, CQRS. Queries are open and read the read model (quest and reward views)
/// through the Redis cache, never the write tables. Commands need the admin role and go through
/// <see cref="CatalogWriter"/>: rules checked, the change written with its events and outbox rows
/// in one transaction, and the answer sent once the read model shows the change.
/// </summary>
public static class CatalogApi
{
    public static RouteGroupBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");

        api.MapGet("/quests", GetQuestsAsync).WithSummary("List quests (active ones unless include_inactive)");
        api.MapGet("/quests/{id:guid}", GetQuestAsync).WithSummary("Get a quest by id");
        api.MapGet("/quests/by-name/{name}", GetQuestByNameAsync).WithSummary("Get a quest by name");
        api.MapPost("/quests", CreateQuestAsync).RequireAuthorization(Policies.Admin).WithSummary("Create a quest");
        api.MapPut("/quests/{id:guid}", UpdateQuestAsync).RequireAuthorization(Policies.Admin).WithSummary("Replace a quest's definition");
        api.MapPost("/quests/{id:guid}/deactivate", DeactivateQuestAsync).RequireAuthorization(Policies.Admin).WithSummary("Deactivate a quest: it stops progressing");
        api.MapPost("/quests/{id:guid}/activate", ActivateQuestAsync).RequireAuthorization(Policies.Admin).WithSummary("Activate a quest");

        api.MapGet("/rewards", GetRewardsAsync).WithSummary("List rewards (active ones unless include_inactive)");
        api.MapGet("/rewards/{id:guid}", GetRewardAsync).WithSummary("Get a reward by id");
        api.MapPost("/rewards", CreateRewardAsync).RequireAuthorization(Policies.Admin).WithSummary("Create a reward");
        api.MapPut("/rewards/{id:guid}", UpdateRewardAsync).RequireAuthorization(Policies.Admin).WithSummary("Replace a reward's definition");
        api.MapPost("/rewards/{id:guid}/deactivate", DeactivateRewardAsync).RequireAuthorization(Policies.Admin).WithSummary("Deactivate a reward (quests that pay it keep it)");
        api.MapPost("/rewards/{id:guid}/activate", ActivateRewardAsync).RequireAuthorization(Policies.Admin).WithSummary("Activate a reward");

        api.MapPost("/admin/read-model/rebuild", RebuildReadModelAsync).RequireAuthorization(Policies.Admin).WithSummary("Rebuild the read model from the write side");

        return api;
    }

    public static async Task<Ok<QuestResponse[]>> GetQuestsAsync(
        [AsParameters] CatalogServices services,
        [FromQuery(Name = "include_inactive")] bool? includeInactive,
        CancellationToken cancellationToken)
    {
        var all = includeInactive ?? false;
        var quests = await services.Cache.GetOrLoadAsync(CatalogCache.Entities.Quest, all ? "quests:all" : "quests:active",
            async ct => (await services.Context.QuestViews.AsNoTracking()
                .Where(v => all || v.IsActive)
                .OrderBy(v => v.Name)
                .Select(v => v.Document)
                .ToListAsync(ct)).Select(CatalogProjection.ReadQuest).ToArray(),
            cancellationToken);
        return TypedResults.Ok(quests ?? []);
    }

    public static async Task<Results<Ok<QuestResponse>, NotFoundProblem>> GetQuestAsync(
        Guid id, [AsParameters] CatalogServices services, CancellationToken cancellationToken)
    {
        var quest = await services.Cache.GetOrLoadAsync(CatalogCache.Entities.Quest, $"quest:{id}",
            ct => LoadQuestAsync(services.Context.QuestViews.Where(v => v.QuestId == id), ct),
            cancellationToken);
        return quest is null ? QuestNotFound($"id {id}") : TypedResults.Ok(quest);
    }

    public static async Task<Results<Ok<QuestResponse>, NotFoundProblem>> GetQuestByNameAsync(
        string name, [AsParameters] CatalogServices services, CancellationToken cancellationToken)
    {
        // No stored name is longer; such a lookup need not reach the cache or the database.
        var quest = name.Length > MaxNameLength ? null : await services.Cache.GetOrLoadAsync(CatalogCache.Entities.Quest, $"quest-name:{name}",
            ct => LoadQuestAsync(services.Context.QuestViews.Where(v => v.Name == name), ct),
            cancellationToken);
        return quest is null ? QuestNotFound($"name '{name}'") : TypedResults.Ok(quest);
    }

    public static async Task<Results<Created<QuestResponse>, ValidationProblem, ConflictProblem>> CreateQuestAsync(
        QuestRequest? request, ClaimsPrincipal user, [AsParameters] CatalogServices services, CancellationToken cancellationToken)
    {
        Quest? quest = null;
        CommandOutcome<Results<Created<QuestResponse>, ValidationProblem, ConflictProblem>> outcome;
        try
        {
            outcome = await services.Writer.ExecuteAsync<Results<Created<QuestResponse>, ValidationProblem, ConflictProblem>>(user.GetUserId(), async (db, ct) =>
            {
                var (definition, reward, errors) = await CheckQuestAsync(request, current: null, db, ct);
                if (errors is not null)
                {
                    return TypedResults.ValidationProblem(errors);
                }

                quest = Quest.Create(definition!, reward!);
                if (request?.IsActive == false)
                {
                    quest.Deactivate();
                }

                db.Quests.Add(quest);
                return null;
            }, cancellationToken);
        }
        catch (DbUpdateException e) when (IsNameTaken(e, "quests"))
        {
            return NameTaken("quest", request?.Name);
        }

        if (outcome.Rejected is { } rejected)
        {
            return rejected;
        }

        services.Logger.LogInformation("Quest {QuestId} '{Name}' created at catalog version {Version}", quest!.Id, quest.Name, quest.Version);
        return TypedResults.Created($"/api/quests/{quest.Id}", QuestResponse.From(quest));
    }

    public static async Task<Results<Ok<QuestResponse>, NotFoundProblem, ValidationProblem, ConflictProblem>> UpdateQuestAsync(
        Guid id, QuestRequest? request, ClaimsPrincipal user, [AsParameters] CatalogServices services, CancellationToken cancellationToken)
    {
        Quest? quest = null;
        CommandOutcome<Results<Ok<QuestResponse>, NotFoundProblem, ValidationProblem, ConflictProblem>> outcome;
        try
        {
            outcome = await services.Writer.ExecuteAsync<Results<Ok<QuestResponse>, NotFoundProblem, ValidationProblem, ConflictProblem>>(user.GetUserId(), async (db, ct) =>
            {
                quest = await db.Quests.Include(q => q.Reward).SingleOrDefaultAsync(q => q.Id == id, ct);
                if (quest is null)
                {
                    return QuestNotFound($"id {id}");
                }

                var (definition, reward, errors) = await CheckQuestAsync(request, quest, db, ct);
                if (errors is not null)
                {
                    return TypedResults.ValidationProblem(errors);
                }

                quest.Apply(definition!, reward!);
                SetActive(quest, request?.IsActive);
                return null;
            }, cancellationToken);
        }
        catch (DbUpdateException e) when (IsNameTaken(e, "quests"))
        {
            return NameTaken("quest", request?.Name);
        }

        if (outcome.Rejected is { } rejected)
        {
            return rejected;
        }

        services.Logger.LogInformation("Quest {QuestId} '{Name}' updated at catalog version {Version}", quest!.Id, quest.Name, quest.Version);
        return TypedResults.Ok(QuestResponse.From(quest));
    }

    public static Task<Results<Ok<QuestResponse>, NotFoundProblem>> DeactivateQuestAsync(
        Guid id, ClaimsPrincipal user, [AsParameters] CatalogServices services, CancellationToken cancellationToken) =>
        SetQuestActiveAsync(id, active: false, user, services, cancellationToken);

    public static Task<Results<Ok<QuestResponse>, NotFoundProblem>> ActivateQuestAsync(
        Guid id, ClaimsPrincipal user, [AsParameters] CatalogServices services, CancellationToken cancellationToken) =>
        SetQuestActiveAsync(id, active: true, user, services, cancellationToken);

    public static async Task<Ok<RewardResponse[]>> GetRewardsAsync(
        [AsParameters] CatalogServices services,
        [FromQuery(Name = "include_inactive")] bool? includeInactive,
        CancellationToken cancellationToken)
    {
        var all = includeInactive ?? false;
        var rewards = await services.Cache.GetOrLoadAsync(CatalogCache.Entities.Reward, all ? "rewards:all" : "rewards:active",
            async ct => (await services.Context.RewardViews.AsNoTracking()
                .Where(v => all || v.IsActive)
                .OrderBy(v => v.Name)
                .Select(v => v.Document)
                .ToListAsync(ct)).Select(CatalogProjection.ReadReward).ToArray(),
            cancellationToken);
        return TypedResults.Ok(rewards ?? []);
    }

    public static async Task<Results<Ok<RewardResponse>, NotFoundProblem>> GetRewardAsync(
        Guid id, [AsParameters] CatalogServices services, CancellationToken cancellationToken)
    {
        var reward = await services.Cache.GetOrLoadAsync(CatalogCache.Entities.Reward, $"reward:{id}",
            async ct => await services.Context.RewardViews.AsNoTracking().Where(v => v.RewardId == id).Select(v => v.Document).SingleOrDefaultAsync(ct) is { } document
                ? CatalogProjection.ReadReward(document)
                : null,
            cancellationToken);
        return reward is null ? RewardNotFound(id) : TypedResults.Ok(reward);
    }

    public static async Task<Results<Created<RewardResponse>, ValidationProblem, ConflictProblem>> CreateRewardAsync(
        RewardRequest? request, ClaimsPrincipal user, [AsParameters] CatalogServices services, CancellationToken cancellationToken)
    {
        Reward? reward = null;
        CommandOutcome<Results<Created<RewardResponse>, ValidationProblem, ConflictProblem>> outcome;
        try
        {
            outcome = await services.Writer.ExecuteAsync<Results<Created<RewardResponse>, ValidationProblem, ConflictProblem>>(user.GetUserId(), async (db, ct) =>
            {
                var (definition, errors) = CheckReward(request);
                if (errors is not null)
                {
                    return TypedResults.ValidationProblem(errors);
                }

                reward = Reward.Create(definition!);
                if (request?.IsActive == false)
                {
                    reward.Deactivate();
                }

                db.Rewards.Add(reward);
                return null;
            }, cancellationToken);
        }
        catch (DbUpdateException e) when (IsNameTaken(e, "rewards"))
        {
            return NameTaken("reward", request?.Name);
        }

        if (outcome.Rejected is { } rejected)
        {
            return rejected;
        }

        services.Logger.LogInformation("Reward {RewardId} '{Name}' created at catalog version {Version}", reward!.Id, reward.Name, reward.Version);
        return TypedResults.Created($"/api/rewards/{reward.Id}", RewardResponse.From(reward));
    }

    public static async Task<Results<Ok<RewardResponse>, NotFoundProblem, ValidationProblem, ConflictProblem>> UpdateRewardAsync(
        Guid id, RewardRequest? request, ClaimsPrincipal user, [AsParameters] CatalogServices services, CancellationToken cancellationToken)
    {
        Reward? reward = null;
        CommandOutcome<Results<Ok<RewardResponse>, NotFoundProblem, ValidationProblem, ConflictProblem>> outcome;
        try
        {
            outcome = await services.Writer.ExecuteAsync<Results<Ok<RewardResponse>, NotFoundProblem, ValidationProblem, ConflictProblem>>(user.GetUserId(), async (db, ct) =>
            {
                reward = await db.Rewards.SingleOrDefaultAsync(r => r.Id == id, ct);
                if (reward is null)
                {
                    return RewardNotFound(id);
                }

                var (definition, errors) = CheckReward(request);
                if (errors is not null)
                {
                    return TypedResults.ValidationProblem(errors);
                }

                reward.Apply(definition!);
                SetActive(reward, request?.IsActive);
                return null;
            }, cancellationToken);
        }
        catch (DbUpdateException e) when (IsNameTaken(e, "rewards"))
        {
            return NameTaken("reward", request?.Name);
        }

        if (outcome.Rejected is { } rejected)
        {
            return rejected;
        }

        services.Logger.LogInformation("Reward {RewardId} '{Name}' updated at catalog version {Version}", reward!.Id, reward.Name, reward.Version);
        return TypedResults.Ok(RewardResponse.From(reward));
    }

    // Quests that pay a deactivated reward keep it: a player who completes one is still paid.
    public static Task<Results<Ok<RewardResponse>, NotFoundProblem>> DeactivateRewardAsync(
        Guid id, ClaimsPrincipal user, [AsParameters] CatalogServices services, CancellationToken cancellationToken) =>
        SetRewardActiveAsync(id, active: false, user, services, cancellationToken);

    public static Task<Results<Ok<RewardResponse>, NotFoundProblem>> ActivateRewardAsync(
        Guid id, ClaimsPrincipal user, [AsParameters] CatalogServices services, CancellationToken cancellationToken) =>
        SetRewardActiveAsync(id, active: true, user, services, cancellationToken);

    /// <summary>Rebuilds the read model from the write side; <c>unchanged</c> says whether it equals the one it replaced.</summary>
    public static async Task<Ok<RebuildResponse>> RebuildReadModelAsync([AsParameters] CatalogServices services, CancellationToken cancellationToken) =>
        TypedResults.Ok((await services.ReadModel.RebuildAsync(onlyIfEmpty: false, cancellationToken))!);

    // Deactivating an inactive quest (or activating an active one) writes nothing and answers the quest as it is.
    private static async Task<Results<Ok<QuestResponse>, NotFoundProblem>> SetQuestActiveAsync(
        Guid id, bool active, ClaimsPrincipal user, CatalogServices services, CancellationToken cancellationToken)
    {
        Quest? quest = null;
        var outcome = await services.Writer.ExecuteAsync<Results<Ok<QuestResponse>, NotFoundProblem>>(user.GetUserId(), async (db, ct) =>
        {
            quest = await db.Quests.Include(q => q.Reward).SingleOrDefaultAsync(q => q.Id == id, ct);
            if (quest is null)
            {
                return QuestNotFound($"id {id}");
            }

            SetActive(quest, active);
            return null;
        }, cancellationToken);
        if (outcome.Rejected is { } rejected)
        {
            return rejected;
        }

        if (outcome.Version > 0)
        {
            services.Logger.LogInformation("Quest {QuestId} '{Name}' {Change} at catalog version {Version}", quest!.Id, quest.Name, active ? "activated" : "deactivated", quest.Version);
        }

        return TypedResults.Ok(QuestResponse.From(quest!));
    }

    private static async Task<Results<Ok<RewardResponse>, NotFoundProblem>> SetRewardActiveAsync(
        Guid id, bool active, ClaimsPrincipal user, CatalogServices services, CancellationToken cancellationToken)
    {
        Reward? reward = null;
        var outcome = await services.Writer.ExecuteAsync<Results<Ok<RewardResponse>, NotFoundProblem>>(user.GetUserId(), async (db, ct) =>
        {
            reward = await db.Rewards.SingleOrDefaultAsync(r => r.Id == id, ct);
            if (reward is null)
            {
                return RewardNotFound(id);
            }

            SetActive(reward, active);
            return null;
        }, cancellationToken);
        if (outcome.Rejected is { } rejected)
        {
            return rejected;
        }

        if (outcome.Version > 0)
        {
            services.Logger.LogInformation("Reward {RewardId} '{Name}' {Change} at catalog version {Version}", reward!.Id, reward.Name, active ? "activated" : "deactivated", reward.Version);
        }

        return TypedResults.Ok(RewardResponse.From(reward!));
    }

    private static void SetActive(Quest quest, bool? active)
    {
        if (active == true)
        {
            quest.Activate();
        }
        else if (active == false)
        {
            quest.Deactivate();
        }
    }

    private static void SetActive(Reward reward, bool? active)
    {
        if (active == true)
        {
            reward.Activate();
        }
        else if (active == false)
        {
            reward.Deactivate();
        }
    }

    private static async Task<QuestResponse?> LoadQuestAsync(IQueryable<QuestView> query, CancellationToken cancellationToken) =>
        await query.AsNoTracking().OrderByDescending(v => v.Version).Select(v => v.Document).FirstOrDefaultAsync(cancellationToken) is { } document
            ? CatalogProjection.ReadQuest(document)
            : null;

    // The rules of the definition alone first, then those that need the data: the name is
    // free and the reward exists (an inactive reward only stays on a quest that already pays it).
    private static async Task<(QuestDefinition? Definition, Reward? Reward, Dictionary<string, string[]>? Errors)> CheckQuestAsync(
        QuestRequest? request, Quest? current, CatalogDbContext context, CancellationToken cancellationToken)
    {
        // A missing body (or JSON null) is an empty one: every required field is reported.
        request ??= new(null, null, null, null, null, null);
        var validated = ValidateQuest(request.Name, request.Description, request.Streak, request.Duplication, request.AutoClaim, request.RewardId, request.Settings);
        if (validated.Value is not { } definition)
        {
            return (null, null, new(validated.Errors));
        }

        // A taken name is found by the unique name key when the change is saved (409, NameTaken).
        var errors = new FieldErrors();
        var reward = await context.Rewards.SingleOrDefaultAsync(r => r.Id == definition.RewardId, cancellationToken);
        if (reward is null)
        {
            errors.Add(Fields.RewardId, $"No reward has id {definition.RewardId}.");
        }
        else if (!reward.IsActive && reward.Id != current?.RewardId)
        {
            errors.Add(Fields.RewardId, $"Reward {definition.RewardId} is inactive.");
        }

        if (await CheckPreconditionsAsync(definition.Settings.PreconditionIds, current?.Id, context, cancellationToken) is { } preconditionError)
        {
            errors.Add(Fields.PreconditionIds, preconditionError);
        }

        return errors.Count > 0 ? (null, null, errors.ToDictionary()) : (definition, reward, null);
    }

    // Every named quest exists, and none requires (however indirectly) the quest itself: a cycle would lock both forever.
    private static async Task<string?> CheckPreconditionsAsync(IReadOnlyList<Guid> ids, Guid? self, CatalogDbContext context, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return null;
        }

        if (self is { } id && ids.Contains(id))
        {
            return "A quest cannot be its own precondition.";
        }

        var graph = await context.Quests.AsNoTracking().Select(q => new { q.Id, q.PreconditionIds }).ToDictionaryAsync(q => q.Id, q => q.PreconditionIds, cancellationToken);
        if (ids.FirstOrDefault(p => !graph.ContainsKey(p)) is var missing && missing != Guid.Empty)
        {
            return $"No quest has id {missing}.";
        }

        if (self is { } quest)
        {
            var seen = new HashSet<Guid>();
            var pending = new Stack<Guid>(ids);
            while (pending.TryPop(out var next))
            {
                if (next == quest)
                {
                    return "These preconditions would make a cycle: one of them requires this quest, directly or through others.";
                }

                if (seen.Add(next))
                {
                    foreach (var further in graph.GetValueOrDefault(next) ?? [])
                    {
                        pending.Push(further);
                    }
                }
            }
        }

        return null;
    }

    // A taken name is found by the unique name key when the change is saved (409, NameTaken).
    private static (RewardDefinition? Definition, Dictionary<string, string[]>? Errors) CheckReward(RewardRequest? request)
    {
        request ??= new(null, null, null);
        var validated = ValidateReward(request.Name, request.Item, request.Qty);
        return validated.Value is { } definition ? (definition, null) : (null, new(validated.Errors));
    }

    // The unique name key (or the exact name) of quests or rewards refused the write: a name
    // that differs from a stored one only by case or width (invisible characters are refused first).
    private static bool IsNameTaken(DbUpdateException e, string table) =>
        e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } unique
        && unique.TableName == table
        && unique.ConstraintName is { } constraint && constraint.StartsWith($"ix_{table}_", StringComparison.Ordinal) && constraint.EndsWith("name", StringComparison.Ordinal);

    private static ConflictProblem NameTaken(string entity, string? name)
    {
        var message = $"A {entity} named '{name?.Normalize(System.Text.NormalizationForm.FormKC).Trim()}', or one that differs from it only by case or width, already exists.";
        return new ConflictProblem(message, "Name taken", new Dictionary<string, string[]> { [Fields.Name] = [message] });
    }

    private static NotFoundProblem QuestNotFound(string what) => NotFound($"No quest has {what}.");

    private static NotFoundProblem RewardNotFound(Guid id) => NotFound($"No reward has id {id}.");

    private static NotFoundProblem NotFound(string detail) => new(detail);
}
