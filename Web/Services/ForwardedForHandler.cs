using System.Net;
using System.Net.Sockets;
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

    /// <summary>
    /// The Web's connections to Auth, from <paramref name="sourceAddress"/> when one is set (in
    /// local mode 127.0.0.2: on Linux the whole 127/8 is loopback), so Auth can trust the Web's
    /// forwarded address without trusting every local process.
    /// </summary>
    public static SocketsHttpHandler CreatePrimaryHandler(IPAddress? sourceAddress)
    {
        var handler = new SocketsHttpHandler();
        if (sourceAddress is null)
        {
            return handler;
        }

        handler.ConnectCallback = async (context, cancellationToken) =>
        {
            var addresses = IPAddress.TryParse(context.DnsEndPoint.Host, out var literal)
                ? [literal]
                : await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, sourceAddress.AddressFamily, cancellationToken);
            var socket = new Socket(sourceAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(sourceAddress, 0));
                await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };
        return handler;
    }
}
