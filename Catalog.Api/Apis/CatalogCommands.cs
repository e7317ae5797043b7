using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using QuestAspire.ServiceDefaults.Api;
using QuestAspire.ServiceDefaults.Authentication;

namespace QuestAspire.Catalog.Api.Apis;

/// <summary>
/// The commands quests and rewards share, written once: create, replace, activate, deactivate.
/// Each runs through <see cref="CatalogWriter"/> (one transaction, the rules checked against data
/// no other writer changes meanwhile). A kind (<see cref="QuestCommands"/>, <see cref="RewardCommands"/>)
/// says only how to find, check, make, change and answer its entries.
/// </summary>
/// <typeparam name="TEntry">The entity: <see cref="Quest"/>, <see cref="Reward"/>.</typeparam>
/// <typeparam name="TRequest">The body of its POST and PUT.</typeparam>
/// <typeparam name="TChecked">What a request becomes once every rule has passed.</typeparam>
/// <typeparam name="TResponse">The entry on the wire.</typeparam>
public abstract class CatalogCommands<TEntry, TRequest, TChecked, TResponse>
    where TEntry : class, ICatalogEntry
    where TRequest : class, ICatalogRequest
    where TChecked : class
{
    /// <summary>The entry's name in messages: <c>quest</c>, <c>reward</c>.</summary>
    protected abstract string Entity { get; }

    /// <summary>The write table, whose unique name key refuses a taken name.</summary>
    protected abstract string Table { get; }

    /// <summary>The request with every field left out.</summary>
    protected abstract TRequest Empty { get; }

    protected abstract string Location(TEntry entry);

    protected abstract Task<TEntry?> FindAsync(CatalogDbContext db, Guid id, CancellationToken cancellationToken);

    /// <summary>Every rule of a request, <paramref name="current"/> being the entry it replaces (null for a new one).</summary>
    protected abstract Task<Validated<TChecked>> CheckAsync(TRequest request, TEntry? current, CatalogDbContext db, CancellationToken cancellationToken);

    protected abstract TEntry Create(TChecked value);

    protected abstract void Apply(TEntry entry, TChecked value);

    protected abstract TResponse Respond(TEntry entry);

    /// <summary>Logs a written change (<c>created</c>, <c>updated</c>, <c>activated</c>, <c>deactivated</c>).</summary>
    protected abstract void LogChange(ILogger logger, TEntry entry, string change);

    public async Task<Results<Created<TResponse>, ValidationProblem, ConflictProblem>> CreateAsync(
        TRequest? request, ClaimsPrincipal user, CatalogServices services, CancellationToken cancellationToken)
    {
        var outcome = await SaveAsync(id: null, request, user, services, cancellationToken);
        return outcome switch
        {
            { Invalid: { } invalid } => invalid,
            { Conflict: { } conflict } => conflict,
            _ => TypedResults.Created(Location(Written(outcome, "created", services)), Respond(outcome.Entry!)),
        };
    }

    public async Task<Results<Ok<TResponse>, NotFoundProblem, ValidationProblem, ConflictProblem>> UpdateAsync(
        Guid id, TRequest? request, ClaimsPrincipal user, CatalogServices services, CancellationToken cancellationToken)
    {
        var outcome = await SaveAsync(id, request, user, services, cancellationToken);
        return outcome switch
        {
            { NotFound: { } notFound } => notFound,
            { Invalid: { } invalid } => invalid,
            { Conflict: { } conflict } => conflict,
            _ => TypedResults.Ok(Respond(Written(outcome, "updated", services))),
        };
    }

    /// <summary>Switching an entry to the state it is in writes nothing and answers it as it is.</summary>
    public async Task<Results<Ok<TResponse>, NotFoundProblem>> SetActiveAsync(
        Guid id, bool active, ClaimsPrincipal user, CatalogServices services, CancellationToken cancellationToken)
    {
        var outcome = await ExecuteAsync(id, name: null, user, services, (entry, _, _) =>
        {
            entry!.SetActive(active);
            return Task.FromResult<(TEntry?, ValidationProblem?)>((entry, null));
        }, cancellationToken);
        return outcome.NotFound is { } notFound
            ? notFound
            : TypedResults.Ok(Respond(Written(outcome, active ? "activated" : "deactivated", services)));
    }

    // Create (no id) or replace: check the whole request, make or change the entry, and set its
    // state when the request says one. A missing body (or JSON null) is an empty one: every
    // required field is reported.
    private Task<Outcome> SaveAsync(Guid? id, TRequest? request, ClaimsPrincipal user, CatalogServices services, CancellationToken cancellationToken) =>
        ExecuteAsync(id, request?.Name, user, services, async (current, db, ct) =>
        {
            var validated = await CheckAsync(request ?? Empty, current, db, ct);
            if (validated.Value is not { } value)
            {
                return (null, TypedResults.ValidationProblem(validated.Errors));
            }

            var entry = current;
            if (entry is null)
            {
                db.Add(entry = Create(value));
            }
            else
            {
                Apply(entry, value);
            }

            entry.SetActive(request?.IsActive);
            return (entry, null);
        }, cancellationToken);

    // Runs one command on the entry with the given id (none: a new entry), which change makes or
    // changes, or refuses. A write the unique name key refuses is a name taken.
    private async Task<Outcome> ExecuteAsync(
        Guid? id,
        string? name,
        ClaimsPrincipal user,
        CatalogServices services,
        Func<TEntry?, CatalogDbContext, CancellationToken, Task<(TEntry? Entry, ValidationProblem? Invalid)>> change,
        CancellationToken cancellationToken)
    {
        TEntry? entry = null;
        CommandOutcome<Outcome> written;
        try
        {
            written = await services.Writer.ExecuteAsync<Outcome>(user.GetUserId(), async (db, ct) =>
            {
                TEntry? current = null;
                if (id is { } existing && (current = await FindAsync(db, existing, ct)) is null)
                {
                    return new Outcome { NotFound = new NotFoundProblem($"No {Entity} has id {existing}.") };
                }

                (entry, var invalid) = await change(current, db, ct);
                return invalid is null ? null : new Outcome { Invalid = invalid };
            }, cancellationToken);
        }
        catch (DbUpdateException e) when (IsNameTaken(e))
        {
            return new Outcome { Conflict = NameTaken(name) };
        }

        return written.Rejected ?? new Outcome { Entry = entry, Version = written.Version };
    }

    // The entry a command wrote (or found unchanged: version 0, nothing logged).
    private TEntry Written(Outcome outcome, string change, CatalogServices services)
    {
        if (outcome.Version > 0)
        {
            LogChange(services.Logger, outcome.Entry!, change);
        }

        return outcome.Entry!;
    }

    // The unique name key (or the exact name) of the table refused the write: a name that differs
    // from a stored one only by case or width (invisible characters are refused first).
    private bool IsNameTaken(DbUpdateException e) =>
        e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } unique
        && unique.TableName == Table
        && unique.ConstraintName is { } constraint && constraint.StartsWith($"ix_{Table}_", StringComparison.Ordinal) && constraint.EndsWith("name", StringComparison.Ordinal);

    private ConflictProblem NameTaken(string? name)
    {
        var message = $"A {Entity} named '{name?.Normalize(System.Text.NormalizationForm.FormKC).Trim()}', or one that differs from it only by case or width, already exists.";
        return new ConflictProblem(message, "Name taken", new Dictionary<string, string[]> { [CatalogRules.Fields.Name] = [message] });
    }

    /// <summary>A command's end: refused (one of the problems) or done, with the entry and the version written (0: nothing changed).</summary>
    private sealed class Outcome
    {
        public TEntry? Entry { get; init; }

        public long Version { get; init; }

        public NotFoundProblem? NotFound { get; init; }

        public ValidationProblem? Invalid { get; init; }

        public ConflictProblem? Conflict { get; init; }
    }
}

/// <summary>Quests: a quest pays a reward that must exist, and names preconditions that must exist and never lead back to it.</summary>
public sealed class QuestCommands : CatalogCommands<Quest, QuestRequest, QuestCommands.Checked, QuestResponse>
{
    public static QuestCommands Instance { get; } = new();

    protected override string Entity => "quest";

    protected override string Table => "quests";

    protected override QuestRequest Empty { get; } = new(null, null, null, null, null, null);

    protected override string Location(Quest entry) => $"/api/quests/{entry.Id}";

    protected override Task<Quest?> FindAsync(CatalogDbContext db, Guid id, CancellationToken cancellationToken) =>
        db.Quests.Include(q => q.Reward).SingleOrDefaultAsync(q => q.Id == id, cancellationToken);

    // The rules of the definition alone first, then those that need the data (CatalogRules.CheckQuestInCatalog).
    protected override async Task<Validated<Checked>> CheckAsync(QuestRequest request, Quest? current, CatalogDbContext db, CancellationToken cancellationToken)
    {
        var validated = CatalogRules.ValidateQuest(request.Name, request.Description, request.Streak, request.Duplication, request.AutoClaim, request.RewardId, request.Settings);
        if (validated.Value is not { } definition)
        {
            return new(null, validated.Errors);
        }

        var reward = await db.Rewards.SingleOrDefaultAsync(r => r.Id == definition.RewardId, cancellationToken);
        // The whole precondition graph, and only when there are preconditions to follow through it.
        IReadOnlyDictionary<Guid, IReadOnlyList<Guid>> preconditionsOf = definition.Settings.PreconditionIds.Count == 0
            ? new Dictionary<Guid, IReadOnlyList<Guid>>()
            : await db.Quests.AsNoTracking().Select(q => new { q.Id, q.PreconditionIds })
                .ToDictionaryAsync(q => q.Id, q => (IReadOnlyList<Guid>)q.PreconditionIds, cancellationToken);
        var inCatalog = CatalogRules.CheckQuestInCatalog(definition, current, reward, preconditionsOf);
        return inCatalog.IsValid ? new(new(definition, reward!), inCatalog.Errors) : new(null, inCatalog.Errors);
    }

    protected override Quest Create(Checked value) => Quest.Create(value.Definition, value.Reward);

    protected override void Apply(Quest entry, Checked value) => entry.Apply(value.Definition, value.Reward);

    protected override QuestResponse Respond(Quest entry) => QuestResponse.From(entry);

    protected override void LogChange(ILogger logger, Quest entry, string change) =>
        logger.LogInformation("Quest {QuestId} '{Name}' {Change} at catalog version {Version}", entry.Id, entry.Name, change, entry.Version);

    /// <summary>A quest definition that passed every rule, with the reward it pays.</summary>
    public sealed record Checked(QuestDefinition Definition, Reward Reward);
}

/// <summary>Rewards: their rules need no data beyond the unique name.</summary>
public sealed class RewardCommands : CatalogCommands<Reward, RewardRequest, RewardDefinition, RewardResponse>
{
    public static RewardCommands Instance { get; } = new();

    protected override string Entity => "reward";

    protected override string Table => "rewards";

    protected override RewardRequest Empty { get; } = new(null, null, null);

    protected override string Location(Reward entry) => $"/api/rewards/{entry.Id}";

    protected override Task<Reward?> FindAsync(CatalogDbContext db, Guid id, CancellationToken cancellationToken) =>
        db.Rewards.SingleOrDefaultAsync(r => r.Id == id, cancellationToken);

    protected override Task<Validated<RewardDefinition>> CheckAsync(RewardRequest request, Reward? current, CatalogDbContext db, CancellationToken cancellationToken) =>
        Task.FromResult(CatalogRules.ValidateReward(request.Name, request.Item, request.Qty));

    protected override Reward Create(RewardDefinition value) => Reward.Create(value);

    protected override void Apply(Reward entry, RewardDefinition value) => entry.Apply(value);

    protected override RewardResponse Respond(Reward entry) => RewardResponse.From(entry);

    protected override void LogChange(ILogger logger, Reward entry, string change) =>
        logger.LogInformation("Reward {RewardId} '{Name}' {Change} at catalog version {Version}", entry.Id, entry.Name, change, entry.Version);
}
