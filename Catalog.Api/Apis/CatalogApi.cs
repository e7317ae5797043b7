using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using QuestAspire.ServiceDefaults.Api;
using QuestAspire.ServiceDefaults.Authentication;
using static QuestAspire.Catalog.Api.Model.CatalogRules;

namespace QuestAspire.Catalog.Api.Apis;

/// <summary>
/// Quests and rewards, CQRS. Queries are open and read the read model (quest and reward views)
/// through the Redis cache, never the write tables. Commands need the admin role and are written
/// once for both (<see cref="CatalogCommands{TEntry, TRequest, TChecked, TResponse}"/>) on
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

    public static Task<Results<Created<QuestResponse>, ValidationProblem, ConflictProblem>> CreateQuestAsync(
        QuestRequest? request, ClaimsPrincipal user, [AsParameters] CatalogServices services, CancellationToken cancellationToken) =>
        QuestCommands.Instance.CreateAsync(request, user, services, cancellationToken);

    public static Task<Results<Ok<QuestResponse>, NotFoundProblem, ValidationProblem, ConflictProblem>> UpdateQuestAsync(
        Guid id, QuestRequest? request, ClaimsPrincipal user, [AsParameters] CatalogServices services, CancellationToken cancellationToken) =>
        QuestCommands.Instance.UpdateAsync(id, request, user, services, cancellationToken);

    public static Task<Results<Ok<QuestResponse>, NotFoundProblem>> DeactivateQuestAsync(
        Guid id, ClaimsPrincipal user, [AsParameters] CatalogServices services, CancellationToken cancellationToken) =>
        QuestCommands.Instance.SetActiveAsync(id, active: false, user, services, cancellationToken);

    public static Task<Results<Ok<QuestResponse>, NotFoundProblem>> ActivateQuestAsync(
        Guid id, ClaimsPrincipal user, [AsParameters] CatalogServices services, CancellationToken cancellationToken) =>
        QuestCommands.Instance.SetActiveAsync(id, active: true, user, services, cancellationToken);

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

    public static Task<Results<Created<RewardResponse>, ValidationProblem, ConflictProblem>> CreateRewardAsync(
        RewardRequest? request, ClaimsPrincipal user, [AsParameters] CatalogServices services, CancellationToken cancellationToken) =>
        RewardCommands.Instance.CreateAsync(request, user, services, cancellationToken);

    public static Task<Results<Ok<RewardResponse>, NotFoundProblem, ValidationProblem, ConflictProblem>> UpdateRewardAsync(
        Guid id, RewardRequest? request, ClaimsPrincipal user, [AsParameters] CatalogServices services, CancellationToken cancellationToken) =>
        RewardCommands.Instance.UpdateAsync(id, request, user, services, cancellationToken);

    // Quests that pay a deactivated reward keep it: a player who completes one is still paid.
    public static Task<Results<Ok<RewardResponse>, NotFoundProblem>> DeactivateRewardAsync(
        Guid id, ClaimsPrincipal user, [AsParameters] CatalogServices services, CancellationToken cancellationToken) =>
        RewardCommands.Instance.SetActiveAsync(id, active: false, user, services, cancellationToken);

    public static Task<Results<Ok<RewardResponse>, NotFoundProblem>> ActivateRewardAsync(
        Guid id, ClaimsPrincipal user, [AsParameters] CatalogServices services, CancellationToken cancellationToken) =>
        RewardCommands.Instance.SetActiveAsync(id, active: true, user, services, cancellationToken);

    /// <summary>Rebuilds the read model from the write side; <c>unchanged</c> says whether it equals the one it replaced.</summary>
    public static async Task<Ok<RebuildResponse>> RebuildReadModelAsync([AsParameters] CatalogServices services, CancellationToken cancellationToken) =>
        TypedResults.Ok((await services.ReadModel.RebuildAsync(onlyIfEmpty: false, cancellationToken))!);

    private static async Task<QuestResponse?> LoadQuestAsync(IQueryable<QuestView> query, CancellationToken cancellationToken) =>
        await query.AsNoTracking().OrderByDescending(v => v.Version).Select(v => v.Document).FirstOrDefaultAsync(cancellationToken) is { } document
            ? CatalogProjection.ReadQuest(document)
            : null;

    private static NotFoundProblem QuestNotFound(string what) => new($"No quest has {what}.");

    private static NotFoundProblem RewardNotFound(Guid id) => new($"No reward has id {id}.");
}
