using QuestAspire.Web.Apis;
using QuestAspire.Web.Components;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

// The visitor's address, when a trusted proxy (the Ingress) says it: Auth's limits are per visitor.
app.UseForwardedHeaders();

// In every environment: a visitor gets a friendly page, never a stack trace (details go to the logs).
app.UseExceptionHandler("/error", createScopeForErrors: true);
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseAntiforgery();

app.MapStaticAssets();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.MapAccountApi();
app.MapDefaultEndpoints();

app.Run();
