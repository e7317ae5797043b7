using QuestAspire.Web.Services;

namespace QuestAspire.Web.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();

        // Service discovery resolves these names to the endpoints the AppHost gave each service.
        builder.Services.AddHttpClient<SystemStatusClient>();
    }
}
