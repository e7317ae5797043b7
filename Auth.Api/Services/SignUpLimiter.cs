using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace QuestAspire.Auth.Api.Services;

/// <summary>
/// Sign-ups per client address and minute (<see cref="AuthOptions.SignUpsPerMinute"/>). Counted
/// only for requests that pass validation, just before the password is hashed: a sign-up that
/// would be refused anyway costs nothing, so it uses up nobody's allowance.
/// </summary>
public sealed class SignUpLimiter(IOptions<AuthOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.SignUpsPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    /// <summary>Null when the sign-up may go ahead, else how long the address must wait.</summary>
    public TimeSpan? TryAcquire(string clientAddress)
    {
        using var lease = _limiter.AttemptAcquire(clientAddress);
        return lease.IsAcquired ? null
            : lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
    }

    public void Dispose() => _limiter.Dispose();
}
