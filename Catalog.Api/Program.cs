using QuestAspire.Catalog.Api.Apis;
using QuestAspire.ServiceDefaults.Api;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseApiDefaults();
app.MapDefaultEndpoints();
app.MapMetricsEndpoint();
app.MapOpenApiEndpoints();
app.MapCatalogApi();

app.Run();
