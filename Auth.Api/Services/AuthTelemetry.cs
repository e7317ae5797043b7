using System.Diagnostics;
using System.Diagnostics.Metrics;
using QuestAspire.Auth.Api.Model;
using QuestAspire.ServiceDefaults.Telemetry;

namespace QuestAspire.Auth.Api.Services;

/// <summary>Auth's spans and counters, on the service's <c>QuestAspire.Auth</c> source and meter.</summary>
public sealed class AuthTelemetry
{
    public const string Service = "Auth";

    private readonly Counter<long> _signIns;
    private readonly Counter<long> _signInsRefused;
    private readonly Counter<long> _claimsStored;
    private readonly Counter<long> _rewardsCredited;
    private readonly Counter<long> _walletChanges;

    public AuthTelemetry(ServiceTelemetry telemetry)
    {
        ActivitySource = telemetry.ActivitySource;
        _signIns = telemetry.Meter.CreateCounter<long>("auth.sign_ins", unit: "{sign-in}", description: "Successful sign-ins.");
        _signInsRefused = telemetry.Meter.CreateCounter<long>("auth.sign_ins.refused", unit: "{sign-in}", description: "Sign-ins refused, by reason: wrong credentials, or the account locked.");
        _claimsStored = telemetry.Meter.CreateCounter<long>("auth.claims.stored", unit: "{claim}", description: "Reward claims stored from quest completions.");
        _rewardsCredited = telemetry.Meter.CreateCounter<long>("auth.rewards.credited", unit: "{reward}", description: "Rewards credited to wallets, by a claim or automatically.");
        _walletChanges = telemetry.Meter.CreateCounter<long>("auth.wallet.changes", unit: "{entry}", description: "Ledger entries written one at a time (spends, admin adjustments, refunds, hand claims), by source.");
    }

    public ActivitySource ActivitySource { get; }

    public void SignedIn(string eventType) =>
        _signIns.Add(1, new KeyValuePair<string, object?>("event.type", eventType));

    public void SignInRefused(string reason) =>
        _signInsRefused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void ClaimStored(RewardClaim claim) =>
        _claimsStored.Add(1, new KeyValuePair<string, object?>("reward.item", RewardItemTag(claim)));

    public void RewardCredited(RewardClaim claim) =>
        _rewardsCredited.Add(1, new KeyValuePair<string, object?>("reward.item", RewardItemTag(claim)));

    public void WalletChanged(WalletChange change) =>
        _walletChanges.Add(1, new KeyValuePair<string, object?>("ledger.source", change.Source.ToString()));

    public static string RewardItemTag(RewardClaim claim) => claim.RewardItem.ToString().ToLowerInvariant();
}
