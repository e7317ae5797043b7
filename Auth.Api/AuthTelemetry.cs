using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace QuestAspire.Auth.Api;

/// <summary>Auth's activity source and meter.</summary>
public static class AuthTelemetry
{
    public const string Name = ServiceDefaults.Extensions.TelemetryPrefix + "Auth";

    public static readonly ActivitySource ActivitySource = new(Name);

    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> SignIns = Meter.CreateCounter<long>("auth.sign_ins", description: "Successful sign-ins");

    public static readonly Counter<long> ClaimsStored = Meter.CreateCounter<long>("auth.claims.stored", description: "Reward claims stored from quest completions");

    public static readonly Counter<long> RewardsCredited = Meter.CreateCounter<long>("auth.rewards.credited", description: "Rewards credited to wallets");
}
