using QuestAspire.Processing.Worker.Apis;
using QuestAspire.ServiceDefaults.Api;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseApiDefaults();
app.MapDefaultEndpoints();
app.MapMetricsEndpoint();
app.MapOpenApiEndpoints();
app.MapDeadLetterApi();
app.MapProgressApi();
app.MapEventsApi();
app.MapAdminApi();

app.Run();
