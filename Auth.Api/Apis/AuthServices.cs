using Microsoft.AspNetCore.Identity;
using QuestAspire.Auth.Api.Model;
using QuestAspire.Auth.Api.Services;
using QuestAspire.Data;

namespace QuestAspire.Auth.Api.Apis;

/// <summary>What the Auth endpoints depend on.</summary>
public sealed class AuthServices(
    AuthDbContext db,
    IPasswordHasher<User> hasher,
    PasswordGate passwordGate,
    TokenService tokens,
    SignInThrottles throttles,
    LockoutPolicy lockout,
    SignUpLimiter signUpLimiter,
    OutboxSignal outboxSignal,
    AuthTelemetry telemetry,
    WalletWriter wallets,
    TimeProvider time,
    ILogger<AuthServices> logger)
{
    public AuthDbContext Db { get; } = db;

    public IPasswordHasher<User> Hasher { get; } = hasher;

    public PasswordGate PasswordGate { get; } = passwordGate;

    public TokenService Tokens { get; } = tokens;

    public SignInThrottles Throttles { get; } = throttles;

    public LockoutPolicy Lockout { get; } = lockout;

    public SignUpLimiter SignUpLimiter { get; } = signUpLimiter;

    public OutboxSignal OutboxSignal { get; } = outboxSignal;

    public AuthTelemetry Telemetry { get; } = telemetry;

    public WalletWriter Wallets { get; } = wallets;

    public TimeProvider Time { get; } = time;

    public ILogger<AuthServices> Logger { get; } = logger;
}
