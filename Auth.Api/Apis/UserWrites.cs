using Microsoft.EntityFrameworkCore;
using QuestAspire.Auth.Api.Model;
using QuestAspire.Data;
using QuestAspire.EventBus;

namespace QuestAspire.Auth.Api.Apis;

/// <summary>
/// How the endpoints that change a user save it: with the event about the change in the outbox,
/// in the same transaction, and, when a row-version race is lost, how the user is read again
/// before the retry (<see cref="RowVersionRetry"/>).
/// </summary>
public static class UserWrites
{
    /// <summary>Saves the user with, in the same transaction, the event that tells every service its new stamp.</summary>
    public static Task SaveWithStampChangeAsync(AuthServices services, User user, CancellationToken cancellationToken) =>
        SaveWithEventAsync(services, MessagingNames.SecurityStampChanged, user.Id, new SecurityStampChangedData(user.SecurityStamp), cancellationToken);

    /// <summary>Saves the tracked changes and, in the same transaction, an event about the user in the outbox.</summary>
    public static async Task SaveWithEventAsync(AuthServices services, string eventType, Guid userId, object data, CancellationToken cancellationToken)
    {
        var now = services.Time.GetUtcNow();
        var changed = IntegrationEvent.Create(eventType, userId, now, data);
        services.Db.OutboxMessages.Add(OutboxMessage.Create(changed, now));
        await services.Db.SaveChangesAsync(cancellationToken);
        services.OutboxSignal.Notify();
    }

    /// <summary>Forgets the user's unsaved changes (and any pending outbox row) and reads the row as it is now.</summary>
    public static async Task ReloadAsync(AuthServices services, User user, CancellationToken cancellationToken)
    {
        foreach (var outbox in services.Db.ChangeTracker.Entries<OutboxMessage>().ToList())
        {
            outbox.State = EntityState.Detached;
        }

        await services.Db.Entry(user).ReloadAsync(cancellationToken);
    }
}
