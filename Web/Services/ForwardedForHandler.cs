using QuestAspire.ServiceDefaults.Api;

namespace QuestAspire.Web.Services;

/// <summary>
/// Tells Auth who the browser is: every call carries <c>X-Forwarded-For</c> with the visitor's
/// address (as the Web itself saw it, after its own trusted proxies), so Auth limits each visitor
/// on its own instead of all of them as the Web's one address. Auth believes the header only
/// from the Web's address (<see cref="TrustedProxies"/>).
/// </summary>
public sealed class ForwardedForHandler(IHttpContextAccessor accessor) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Remove("X-Forwarded-For");
        if (accessor.HttpContext?.Connection.RemoteIpAddress is { } visitor)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", (visitor.IsIPv4MappedToIPv6 ? visitor.MapToIPv4() : visitor).ToString());
        }

        return base.SendAsync(request, cancellationToken);
    }
}
