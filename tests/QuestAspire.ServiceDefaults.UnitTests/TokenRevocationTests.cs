using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using QuestAspire.ServiceDefaults.Api;
using QuestAspire.ServiceDefaults.Authentication;

namespace QuestAspire.ServiceDefaults.UnitTests;

public sealed class SecurityStampsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
    private readonly SecurityStamps _stamps;
    private readonly Guid _user = Guid.NewGuid();

    public SecurityStampsTests() =>
        _stamps = new SecurityStamps(_time, Options.Create(new JwtOptions { Lifetime = TimeSpan.FromHours(1) }));

    [Fact]
    public void AUserWithNoChange_HasEveryTokenCurrent()
    {
        Assert.True(_stamps.IsCurrent(_user, "ANY"));
        Assert.True(_stamps.IsCurrent(_user, null));
    }

    [Fact]
    public void AfterAChange_OnlyTheNewStampIsCurrent()
    {
        _stamps.Apply(_user, "NEW", _time.GetUtcNow());

        Assert.True(_stamps.IsCurrent(_user, "NEW"));
        Assert.False(_stamps.IsCurrent(_user, "OLD"));
        Assert.False(_stamps.IsCurrent(_user, null));
        Assert.True(_stamps.IsCurrent(Guid.NewGuid(), "OLD"));
    }

    [Fact]
    public void AnOlderChangeReplayedLate_DoesNotWin()
    {
        var now = _time.GetUtcNow();
        _stamps.Apply(_user, "SECOND", now);
        _stamps.Apply(_user, "FIRST", now - TimeSpan.FromMinutes(1));

        Assert.True(_stamps.IsCurrent(_user, "SECOND"));
        Assert.False(_stamps.IsCurrent(_user, "FIRST"));
    }

    [Fact]
    public void Prune_ForgetsAChangeOnlyOnceEveryEarlierTokenHasExpired()
    {
        _stamps.Apply(_user, "NEW", _time.GetUtcNow());

        _time.Advance(TimeSpan.FromHours(1)); // a token from just before the change is still valid (clock skew)
        _stamps.Prune();
        Assert.False(_stamps.IsCurrent(_user, "OLD"));

        _time.Advance(JwtAuthenticationExtensions.ClockSkew + TimeSpan.FromSeconds(1));
        _stamps.Prune();
        Assert.Equal(0, _stamps.Count);
        Assert.True(_stamps.IsCurrent(_user, "OLD"));
    }
}

public sealed class TrustedProxiesTests
{
    [Fact]
    public void Parse_TakesAddressesAndNetworks()
    {
        var networks = TrustedProxies.Parse("127.0.0.2, 10.0.0.0/8 ::1");

        Assert.Equal(3, networks.Count);
        Assert.True(networks[0].Contains(IPAddress.Parse("127.0.0.2")));
        Assert.False(networks[0].Contains(IPAddress.Parse("127.0.0.1")));
        Assert.True(networks[1].Contains(IPAddress.Parse("10.244.3.7")));
        Assert.True(networks[2].Contains(IPAddress.IPv6Loopback));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Parse_NothingTrustsNobody(string? value) => Assert.Empty(TrustedProxies.Parse(value));

    [Fact]
    public void Parse_ANameThatIsNoAddress_FailsTheStart() =>
        Assert.Throws<FormatException>(() => TrustedProxies.Parse("web.internal"));
}
