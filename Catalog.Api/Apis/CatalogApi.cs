using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using QuestAspire.ServiceDefaults.Api;
using QuestAspire.ServiceDefaults.Authentication;
using static QuestAspire.Catalog.Api.Model.CatalogRules;

namespace QuestAspire.Catalog.Api.Apis;

/// <summary>
/// Quests and rewards. Reads are open and cached in Redis; writes need the admin role, check
/// every rule before they touch the database, and retire the cache once they have committed.
/// </summary>
public static class CatalogApi
{
    public static RouteGroupBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");

        api.MapGet("/quests", GetQuestsAsync);
        api.MapGet("/quests/{id:guid}", GetQuestAsync);
        api.MapGet("/quests/by-name/{name}", GetQuestByNameAsync);
        api.MapPost("/quests", CreateQuestAsync).RequireAuthorization(Policies.Admin);
        api.MapPut("/quests/{id:guid}", UpdateQuestAsync).RequireAuthorization(Policies.Admin);
        api.MapPost("/quests/{id:guid}/deactivate", DeactivateQuestAsync).RequireAuthorization(Policies.Admin);

        api.MapGet("/rewards", GetRewardsAsync);
        api.MapGet("/rewards/{id:guid}", GetRewardAsync);
        api.MapPost("/rewards", CreateRewardAsync).RequireAuthorization(Policies.Admin);
        api.MapPut("/rewards/{id:guid}", UpdateRewardAsync).RequireAuthorization(Policies.Admin);
        api.MapPost("/rewards/{id:guid}/deactivate", DeactivateRewardAsync).RequireAuthorization(Policies.Admin);

        return api;
    }

    public static async Task<Ok<QuestResponse[]>> GetQuestsAsync(
        [AsParameters] CatalogServices services,
        [FromQuery(Name = "include_inactive")] bool? includeInactive,
        CancellationToken cancellationToken)
    {
        var all = includeInactive ?? false;
        var quests = await services.Cache.GetOrLoadAsync(CatalogCache.Entities.Quest, all ? "quests:all" : "quests:active",
            async ct => (await services.Context.Quests.AsNoTracking().Include(q => q.Reward)
                .Where(q => all || q.IsActive)
                .OrderBy(q => q.Name)
                .ToListAsync(ct)).Select(QuestResponse.From).ToArray(),
            cancellationToken);
        return TypedResults.Ok(quests ?? []);
    }

    public static async Task<Results<Ok<QuestResponse>, NotFoundProblem>> GetQuestAsync(
        Guid id, [AsParameters] CatalogServices services, CancellationToken cancellationToken)
    {
        var quest = await services.Cache.GetOrLoadAsync(CatalogCache.Entities.Quest, $"quest:{id}",
            ct => LoadQuestAsync(services.Context.Quests.Where(q => q.Id == id), ct),
            cancellationToken);
        return quest is null ? QuestNotFound($"id {id}") : TypedResults.Ok(quest);
    }

    public static async Task<Results<Ok<QuestResponse>, NotFoundProblem>> GetQuestByNameAsync(
        string name, [AsParameters] CatalogServices services, CancellationToken cancellationToken)
    {
        // No stored name is longer; such a lookup need not reach the cache or the database.
        var quest = name.Length > MaxNameLength ? null : await services.Cache.GetOrLoadAsync(CatalogCache.Entities.Quest, $"quest-name:{name}",
            ct => LoadQuestAsync(services.Context.Quests.Where(q => q.Name == name), ct),
            cancellationToken);
        return quest is null ? QuestNotFound($"name '{name}'") : TypedResults.Ok(quest);
    }

    public static async Task<Results<Created<QuestResponse>, ValidationProblem>> CreateQuestAsync(
        QuestRequest? request, [AsParameters] CatalogServices services, CancellationToken cancellationToken)
    {
        var (definition, reward, errors) = await CheckQuestAsync(request, current: null, services.Context, cancellationToken);
        if (errors is not null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var quest = Quest.Create(definition!, reward!);
        services.Context.Quests.Add(quest);
        if (!await TrySaveAsync(services, cancellationToken))
        {
            return NameTaken("quest", quest.Name);
        }

        services.Logger.LogInformation("Quest {QuestId} '{Name}' created", quest.Id, quest.Name);
        return TypedResults.Created($"/api/quests/{quest.Id}", QuestResponse.From(quest));
    }

    public static async Task<Results<Ok<QuestResponse>, NotFoundProblem, ValidationProblem>> UpdateQuestAsync(
        Guid id, QuestRequest? request, [AsParameters] CatalogServices services, CancellationToken cancellationToken)
    {
        var quest = await services.Context.Quests.Include(q => q.Reward).SingleOrDefaultAsync(q => q.Id == id, cancellationToken);
        if (quest is null)
        {
            return QuestNotFound($"id {id}");
        }

        var (definition, reward, errors) = await CheckQuestAsync(request, quest, services.Context, cancellationToken);
        if (errors is not null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        quest.Apply(definition!, reward!);
        if (!await TrySaveAsync(services, cancellationToken))
        {
            return NameTaken("quest", quest.Name);
        }

        services.Logger.LogInformation("Quest {QuestId} '{Name}' updated", quest.Id, quest.Name);
        return TypedResults.Ok(QuestResponse.From(quest));
    }

    public static async Task<Results<Ok<QuestResponse>, NotFoundProblem>> DeactivateQuestAsync(
        Guid id, [AsParameters] CatalogServices services, CancellationToken cancellationToken)
    {
        var quest = await services.Context.Quests.Include(q => q.Reward).SingleOrDefaultAsync(q => q.Id == id, cancellationToken);
        if (quest is null)
        {
            return QuestNotFound($"id {id}");
        }

        if (quest.IsActive)
        {
            quest.Deactivate();
            await services.Context.SaveChangesAsync(cancellationToken);
            await services.Cache.InvalidateAsync();
            services.Logger.LogInformation("Quest {QuestId} '{Name}' deactivated", quest.Id, quest.Name);
        }

        return TypedResults.Ok(QuestResponse.From(quest));
    }

    public static async Task<Ok<RewardResponse[]>> GetRewardsAsync(
        [AsParameters] CatalogServices services,
        [FromQuery(Name = "include_inactive")] bool? includeInactive,
        CancellationToken cancellationToken)
    {
        var all = includeInactive ?? false;
        var rewards = await services.Cache.GetOrLoadAsync(CatalogCache.Entities.Reward, all ? "rewards:all" : "rewards:active",
            async ct => (await services.Context.Rewards.AsNoTracking()
                .Where(r => all || r.IsActive)
                .OrderBy(r => r.Name)
                .ToListAsync(ct)).Select(RewardResponse.From).ToArray(),
            cancellationToken);
        return TypedResults.Ok(rewards ?? []);
    }

    public static async Task<Results<Ok<RewardResponse>, NotFoundProblem>> GetRewardAsync(
        Guid id, [AsParameters] CatalogServices services, CancellationToken cancellationToken)
    {
        var reward = await services.Cache.GetOrLoadAsync(CatalogCache.Entities.Reward, $"reward:{id}",
            async ct => await services.Context.Rewards.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct) is { } found
                ? RewardResponse.From(found)
                : null,
            cancellationToken);
        return reward is null ? RewardNotFound(id) : TypedResults.Ok(reward);
    }

    public static async Task<Results<Created<RewardResponse>, ValidationProblem>> CreateRewardAsync(
        RewardRequest? request, [AsParameters] CatalogServices services, CancellationToken cancellationToken)
    {
        var (definition, errors) = await CheckRewardAsync(request, current: null, services.Context, cancellationToken);
        if (errors is not null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var reward = Reward.Create(definition!);
        services.Context.Rewards.Add(reward);
        if (!await TrySaveAsync(services, cancellationToken))
        {
            return NameTaken("reward", reward.Name);
        }

        services.Logger.LogInformation("Reward {RewardId} '{Name}' created", reward.Id, reward.Name);
        return TypedResults.Created($"/api/rewards/{reward.Id}", RewardResponse.From(reward));
    }

    public static async Task<Results<Ok<RewardResponse>, NotFoundProblem, ValidationProblem>> UpdateRewardAsync(
        Guid id, RewardRequest? request, [AsParameters] CatalogServices services, CancellationToken cancellationToken)
    {
        var reward = await services.Context.Rewards.SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (reward is null)
        {
            return RewardNotFound(id);
        }

        var (definition, errors) = await CheckRewardAsync(request, reward, services.Context, cancellationToken);
        if (errors is not null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        reward.Apply(definition!);
        if (!await TrySaveAsync(services, cancellationToken))
        {
            return NameTaken("reward", reward.Name);
        }

        services.Logger.LogInformation("Reward {RewardId} '{Name}' updated", reward.Id, reward.Name);
        return TypedResults.Ok(RewardResponse.From(reward));
    }

    public static async Task<Results<Ok<RewardResponse>, NotFoundProblem>> DeactivateRewardAsync(
        Guid id, [AsParameters] CatalogServices services, CancellationToken cancellationToken)
    {
        var reward = await services.Context.Rewards.SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (reward is null)
        {
            return RewardNotFound(id);
        }

        // Quests that pay this reward keep it: a player who completes one is still paid.
        if (reward.IsActive)
        {
            reward.Deactivate();
            await services.Context.SaveChangesAsync(cancellationToken);
            await services.Cache.InvalidateAsync();
            services.Logger.LogInformation("Reward {RewardId} '{Name}' deactivated", reward.Id, reward.Name);
        }

        return TypedResults.Ok(RewardResponse.From(reward));
    }

    private static async Task<QuestResponse?> LoadQuestAsync(IQueryable<Quest> query, CancellationToken cancellationToken) =>
        await query.AsNoTracking().Include(q => q.Reward).SingleOrDefaultAsync(cancellationToken) is { } quest
            ? QuestResponse.From(quest)
            : null;

    // The rules of the definition alone first, then those that need the data: the name is
    // free and the reward exists (an inactive reward only stays on a quest that already pays it).
    private static async Task<(QuestDefinition? Definition, Reward? Reward, Dictionary<string, string[]>? Errors)> CheckQuestAsync(
        QuestRequest? request, Quest? current, CatalogDbContext context, CancellationToken cancellationToken)
    {
        // A missing body (or JSON null) is an empty one: every required field is reported.
        request ??= new(null, null, null, null, null, null);
        var validated = ValidateQuest(request.Name, request.Description, request.Streak, request.Duplication, request.AutoClaim, request.RewardId);
        if (validated.Value is not { } definition)
        {
            return (null, null, new(validated.Errors));
        }

        var errors = new Dictionary<string, string[]>();
        var currentId = current?.Id;
        if (await context.Quests.AnyAsync(q => q.Name == definition.Name && q.Id != currentId, cancellationToken))
        {
            errors[Fields.Name] = [$"A quest named '{definition.Name}' already exists."];
        }

        var reward = await context.Rewards.SingleOrDefaultAsync(r => r.Id == definition.RewardId, cancellationToken);
        if (reward is null)
        {
            errors[Fields.RewardId] = [$"No reward has id {definition.RewardId}."];
        }
        else if (!reward.IsActive && reward.Id != current?.RewardId)
        {
            errors[Fields.RewardId] = [$"Reward {definition.RewardId} is inactive."];
        }

        return errors.Count > 0 ? (null, null, errors) : (definition, reward, null);
    }

    private static async Task<(RewardDefinition? Definition, Dictionary<string, string[]>? Errors)> CheckRewardAsync(
        RewardRequest? request, Reward? current, CatalogDbContext context, CancellationToken cancellationToken)
    {
        request ??= new(null, null, null);
        var validated = ValidateReward(request.Name, request.Item, request.Qty);
        if (validated.Value is not { } definition)
        {
            return (null, new(validated.Errors));
        }

        var currentId = current?.Id;
        return await context.Rewards.AnyAsync(r => r.Name == definition.Name && r.Id != currentId, cancellationToken)
            ? (null, new() { [Fields.Name] = [$"A reward named '{definition.Name}' already exists."] })
            : (definition, null);
    }

    // Saves and retires the cache. False when a concurrent writer took the name between the
    // check and the insert: the unique index is the last word, and nothing was written.
    private static async Task<bool> TrySaveAsync(CatalogServices services, CancellationToken cancellationToken)
    {
        try
        {
            await services.Context.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            services.Logger.LogInformation("A concurrent write took the same name: {Constraint}", ((PostgresException)e.InnerException).ConstraintName);
            return false;
        }

        await services.Cache.InvalidateAsync();
        return true;
    }

    private static ValidationProblem NameTaken(string entity, string name) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [Fields.Name] = [$"A {entity} named '{name}' already exists."] });

    private static NotFoundProblem QuestNotFound(string what) => NotFound($"No quest has {what}.");

    private static NotFoundProblem RewardNotFound(Guid id) => NotFound($"No reward has id {id}.");

    private static NotFoundProblem NotFound(string detail) => new(detail);
}
