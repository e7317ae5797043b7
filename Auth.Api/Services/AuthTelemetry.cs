using System.Diagnostics;
using System.Diagnostics.Metrics;
using QuestAspire.Auth.Api.Model;
using QuestAspire.ServiceDefaults.Telemetry;

namespace QuestAspire.Auth.Api.Services;

/// <summary>Auth's spans and counters, on the service's <c>QuestAspire.Auth</c> source and meter, and its log line of a wallet change.</summary>
public sealed partial class AuthTelemetry
{
    public const string Service = "Auth";

    private readonly Counter<long> _signIns;
    private readonly Counter<long> _signInsRefused;
    private readonly Counter<long> _claimsStored;
    private readonly Counter<long> _rewardsCredited;
    private readonly Counter<long> _walletChanges;
    private readonly ILogger<AuthTelemetry> _logger;

    public AuthTelemetry(ServiceTelemetry telemetry, ILogger<AuthTelemetry> logger)
    {
        _logger = logger;
        ActivitySource = telemetry.ActivitySource;
        _signIns = telemetry.Meter.CreateCounter<long>("auth.sign_ins", unit: "{sign-in}", description: "Successful sign-ins.");
        _signInsRefused = telemetry.Meter.CreateCounter<long>("auth.sign_ins.refused", unit: "{sign-in}", description: "Sign-ins refused, by reason: wrong credentials, or the account locked.");
        _claimsStored = telemetry.Meter.CreateCounter<long>("auth.claims.stored", unit: "{claim}", description: "Reward claims stored from quest completions.");
        _rewardsCredited = telemetry.Meter.CreateCounter<long>("auth.rewards.credited", unit: "{reward}", description: "Rewards credited to wallets, by a claim or automatically.");
        _walletChanges = telemetry.Meter.CreateCounter<long>("auth.wallet.changes", unit: "{entry}", description: "Ledger entries of spends, admin adjustments, refunds and hand claims (not auto-claims, counted as rewards credited), by source.");
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

    /// <summary>A change written to the ledger: counted, and logged unless it is a spend (a spend's record is its ledger entry; under load a line each would flood the log).</summary>
    public void WalletChanged(WalletChange change)
    {
        _walletChanges.Add(1, new KeyValuePair<string, object?>("ledger.source", change.Source.ToString()));
        if (change.Source != LedgerSource.Spend)
        {
            LogWalletChanged(_logger, change.UserId, change.Amount, change.Item, change.Source, change.ActorId);
        }
    }

    [LoggerMessage(LogLevel.Information, "Wallet of {UserId}: {Amount} {Item} ({Source}) by {ActorId}")]
    private static partial void LogWalletChanged(ILogger logger, Guid userId, long amount, RewardItem item, LedgerSource source, Guid? actorId);

    public static string RewardItemTag(RewardClaim claim) => claim.RewardItem.ToString().ToLowerInvariant();
}
