using QuestAspire.Auth.Api.Apis;
using QuestAspire.ServiceDefaults.Api;
using QuestAspire.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseForwardedHeaders();
app.UseApiDefaults();
app.UseRateLimiter();

app.MapDefaultEndpoints();
app.MapMetricsEndpoint();
app.MapDeadLetterApi();
app.MapLoginApi();
app.MapSignUpApi();
app.MapMeApi();
app.MapWalletApi();
app.MapAdminUsersApi();
app.MapAdminWalletApi();

app.Run();
