using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace QuestAspire.Auth.Api.Services;

/// <summary>
/// Password hashing is slow on purpose (PBKDF2, about 100 ms of one core). Run on every request
/// thread at once it takes all the cores and starves the event path and every other request. So at
/// most <see cref="AuthOptions.PasswordHashConcurrency"/> hashes run at once, a few more wait their
/// turn (oldest first), and past that a sign-in or sign-up is shed at once: the caller answers
/// 503 with Retry-After instead of queueing for seconds.
/// </summary>
public sealed class PasswordGate : IDisposable
{
    private readonly ConcurrencyLimiter _limiter;

    public PasswordGate(IOptions<AuthOptions> options)
    {
        Concurrency = options.Value.PasswordHashConcurrency ?? Math.Max(1, Environment.ProcessorCount - 1);
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = Concurrency,
            QueueLimit = options.Value.PasswordHashQueue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>Hashes that may run at once.</summary>
    public int Concurrency { get; }

    /// <summary>How long a shed caller is told to wait.</summary>
    public static TimeSpan RetryAfter { get; } = TimeSpan.FromSeconds(1);

    /// <summary>Runs <paramref name="work"/> when a slot is free; false (and nothing run) when the gate is full.</summary>
    public async ValueTask<(bool Admitted, T Result)> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        using var lease = await _limiter.AcquireAsync(1, cancellationToken);
        return lease.IsAcquired ? (true, work()) : (false, default!);
    }

    public void Dispose() => _limiter.Dispose();
}
