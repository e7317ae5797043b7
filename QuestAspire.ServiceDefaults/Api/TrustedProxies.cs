using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.HttpOverrides;

namespace QuestAspire.ServiceDefaults.Api;

/// <summary>
/// Which callers may say who their client is. A request's <c>X-Forwarded-For</c> is believed only
/// from the addresses and networks in <c>ForwardedHeaders:TrustedProxies</c> (comma-separated IPs
/// or CIDRs, set by the AppHost: the Web for Auth, the Ingress for the Web); from anyone else it is
/// ignored and the caller counts as its own address. ASP.NET Core trusts loopback by default, which
/// would let any local process pick its own rate-limit bucket: that default is cleared.
/// </summary>
public static class TrustedProxies
{
    public const string ConfigurationKey = "ForwardedHeaders:TrustedProxies";

    /// <summary>The local address the Web connects to Auth from (local mode: 127.0.0.2), so Auth can tell it from other local callers.</summary>
    public const string SourceAddressKey = "ForwardedHeaders:SourceAddress";

    public static TBuilder AddTrustedProxies<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        var trusted = Parse(builder.Configuration[ConfigurationKey]);
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            // The last hop only: the address the trusted proxy itself saw.
            options.ForwardLimit = 1;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var network in trusted)
            {
                options.KnownIPNetworks.Add(network);
            }
        });
        return builder;
    }

    /// <summary>Comma- or space-separated IPs and CIDRs; an entry that is neither fails the start.</summary>
    public static IReadOnlyList<System.Net.IPNetwork> Parse(string? value)
    {
        var networks = new List<System.Net.IPNetwork>();
        foreach (var entry in (value ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (System.Net.IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                networks.Add(new System.Net.IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                throw new FormatException($"{ConfigurationKey}: '{entry}' is neither an IP address nor a CIDR network.");
            }
        }

        return networks;
    }

    /// <summary>
    /// An HTTP handler whose connections come from <paramref name="sourceAddress"/> when one is set.
    /// The Web reaches Auth this way from 127.0.0.2 in local mode (on Linux the whole 127/8 is
    /// loopback), so Auth can trust the Web's forwarded address without trusting every local process.
    /// </summary>
    public static SocketsHttpHandler ConnectingFrom(IPAddress? sourceAddress)
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
