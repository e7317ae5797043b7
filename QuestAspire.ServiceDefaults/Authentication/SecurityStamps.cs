using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace QuestAspire.ServiceDefaults.Authentication;

/// <summary>
/// The newest security stamp of each user whose stamp changed within a token lifetime. A token
/// whose <c>stamp</c> claim differs from it was issued before a ban, an unban or a password change,
/// and is refused. Users with no change in that time are not here: every token of theirs is current.
/// </summary>
public sealed class SecurityStamps(TimeProvider time, IOptions<JwtOptions> jwt)
{
    private readonly ConcurrentDictionary<Guid, (string Stamp, DateTimeOffset ChangedAt)> _latest = new();

    public int Count => _latest.Count;

    /// <summary>Takes a change; an older one arriving late (the stream is replayed) changes nothing.</summary>
    public void Apply(Guid userId, string stamp, DateTimeOffset changedAt) =>
        _latest.AddOrUpdate(userId, (stamp, changedAt), (_, current) => changedAt >= current.ChangedAt ? (stamp, changedAt) : current);

    public bool IsCurrent(Guid userId, string? tokenStamp) =>
        !_latest.TryGetValue(userId, out var latest) || string.Equals(latest.Stamp, tokenStamp, StringComparison.Ordinal);

    /// <summary>
    /// Forgets changes older than a token lifetime (and the clock skew): every token issued before
    /// such a change has expired, so there is nothing left to refuse.
    /// </summary>
    public void Prune()
    {
        var horizon = time.GetUtcNow() - jwt.Value.Lifetime - JwtAuthenticationExtensions.ClockSkew;
        foreach (var (userId, latest) in _latest)
        {
            if (latest.ChangedAt < horizon)
            {
                _latest.TryRemove(new KeyValuePair<Guid, (string, DateTimeOffset)>(userId, latest));
            }
        }
    }
}
