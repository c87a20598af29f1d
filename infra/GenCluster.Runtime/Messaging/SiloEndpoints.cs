using System.Globalization;
using System.Net;

namespace GenCluster.Runtime.Messaging;

/// <summary>Network endpoints of silos and gateways.</summary>
internal static class SiloEndpoints
{
    /// <summary>Where <paramref name="silo"/> listens: an IP endpoint, or a DNS endpoint for a host name.</summary>
    public static EndPoint Of(SiloAddress silo) =>
        IPAddress.TryParse(silo.Host, out var address) ? new IPEndPoint(address, silo.Port) : new DnsEndPoint(silo.Host, silo.Port);

    /// <summary>Parses <c>host:port</c> (IPv6 as <c>[addr]:port</c>).</summary>
    /// <exception cref="FormatException">The text is not an endpoint.</exception>
    public static EndPoint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (IPEndPoint.TryParse(text, out var ip) && ip.Port != 0)
        {
            return ip;
        }

        int colon = text.LastIndexOf(':');
        if (colon > 0 && int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port is > 0 and <= 65535)
        {
            return new DnsEndPoint(text[..colon], port);
        }

        throw new FormatException($"'{text}' is not an endpoint of the form host:port");
    }
}
