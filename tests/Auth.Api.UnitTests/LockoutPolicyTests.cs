namespace QuestAspire.Auth.Api.UnitTests;

/// <summary>The lockout rule, driven by a fake clock: 5 failures in 15 minutes lock an account, longer each time.</summary>
public sealed class LockoutPolicyTests
{
    private static readonly int[] DoublingMinutes = [1, 2, 4, 8, 16, 32, 60, 60, 60];

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
    private readonly LockoutPolicy _policy = new(new SignInLockoutOptions());

    private SignInThrottle NewThrottle() => new() { UserKey = "PLAYER", WindowStartedAt = _time.GetUtcNow() };

    private bool Fail(SignInThrottle throttle) => _policy.RecordFailure(throttle, _time.GetUtcNow());

    [Fact]
    public void FiveFailures_WithinTheWindow_LockForAMinute()
    {
        var throttle = NewThrottle();
        for (var i = 0; i < 4; i++)
        {
            Assert.False(Fail(throttle));
            Assert.Null(_policy.LockedFor(throttle, _time.GetUtcNow()));
            _time.Advance(TimeSpan.FromMinutes(3));
        }

        Assert.True(Fail(throttle));
        Assert.Equal(TimeSpan.FromMinutes(1), _policy.LockedFor(throttle, _time.GetUtcNow()));
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(TimeSpan.FromSeconds(1), _policy.LockedFor(throttle, _time.GetUtcNow()));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(_policy.LockedFor(throttle, _time.GetUtcNow()));
    }

    [Fact]
    public void FailuresSpreadPastTheWindow_NeverLock()
    {
        var throttle = NewThrottle();
        for (var i = 0; i < 20; i++)
        {
            Assert.False(Fail(throttle));
            // Four failures per 15 minutes: each window starts over before the fifth.
            _time.Advance(i % 4 == 3 ? TimeSpan.FromMinutes(15) : TimeSpan.FromSeconds(10));
        }

        Assert.Null(_policy.LockedFor(throttle, _time.GetUtcNow()));
    }

    [Fact]
    public void RepeatedLockouts_DoubleEachTime_UpToTheMaximum()
    {
        var throttle = NewThrottle();
        var durations = new List<TimeSpan>();
        for (var lockout = 0; lockout < 9; lockout++)
        {
            for (var i = 0; i < 5; i++)
            {
                Fail(throttle);
            }

            var lockedFor = _policy.LockedFor(throttle, _time.GetUtcNow())!.Value;
            durations.Add(lockedFor);
            _time.Advance(lockedFor);
        }

        Assert.Equal(DoublingMinutes.Select(m => TimeSpan.FromMinutes(m)), durations);
    }

    [Fact]
    public void ALockoutLongAgo_NoLongerLengthensTheNext()
    {
        var throttle = NewThrottle();
        for (var i = 0; i < 10; i++)
        {
            Fail(throttle);
            if (i == 4)
            {
                _time.Advance(TimeSpan.FromMinutes(1));
            }
        }

        Assert.Equal(TimeSpan.FromMinutes(2), _policy.LockedFor(throttle, _time.GetUtcNow()));
        _time.Advance(TimeSpan.FromDays(1));
        for (var i = 0; i < 5; i++)
        {
            Fail(throttle);
        }

        Assert.Equal(TimeSpan.FromMinutes(1), _policy.LockedFor(throttle, _time.GetUtcNow()));
    }

    [Fact]
    public void NoThrottle_IsNotLocked() => Assert.Null(_policy.LockedFor(null, _time.GetUtcNow()));
}
