using Microsoft.EntityFrameworkCore;

namespace QuestAspire.ServiceDefaults.Data;

/// <summary>
/// The one optimistic-concurrency loop: an entity carries its row version (Postgres' <c>xmin</c>)
/// as a concurrency token, so a save after another writer changed the row fails with
/// <see cref="DbUpdateConcurrencyException"/>; the change is then made again on the row as it is now.
/// </summary>
public static class RowVersionRetry
{
    public const int MaxAttempts = 5;

    /// <summary>
    /// Runs <paramref name="attempt"/> (make the change and save it) up to <see cref="MaxAttempts"/>
    /// times, running <paramref name="reload"/> (read the row again) before each retry.
    /// </summary>
    public static async Task<T> RunAsync<T>(Func<Task<T>> attempt, Func<Task> reload)
    {
        for (var tries = 1; ; tries++)
        {
            try
            {
                return await attempt();
            }
            catch (DbUpdateConcurrencyException) when (tries < MaxAttempts)
            {
                await reload();
            }
        }
    }
}
