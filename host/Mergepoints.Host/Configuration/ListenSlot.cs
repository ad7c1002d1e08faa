using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace Mergepoints.Host.Configuration;

/// <summary>
/// One entry of the config's <c>slots</c>: an address and a port one <c>serve</c> process may take. It is
/// written exactly as nginx's <c>server</c> line writes it (<c>127.0.0.1:5001</c>, <c>[::1]:5001</c>,
/// <c>localhost:5001</c>), so the config and nginx's upstream can be compared by eye.
/// </summary>
public sealed record ListenSlot(string Host, int Port)
{
    /// <summary>Where Kestrel listens for this slot.</summary>
    public string Url => $"http://{this}";

    /// <summary>Reads <c>address:port</c>; an IPv6 address goes in brackets, as in nginx and in URLs.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out ListenSlot? slot)
    {
        slot = null;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return false;
        }
        var host = text[..colon];
        var valid = host.StartsWith('[')
            ? host.EndsWith(']') && IPAddress.TryParse(host[1..^1], out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            : host.All(c => char.IsAsciiDigit(c) || c == '.')
                ? host.Split('.').Length == 4 && IPAddress.TryParse(host, out _)
                : Uri.CheckHostName(host) is UriHostNameType.Dns;
        slot = valid ? new ListenSlot(host, port) : null;
        return valid;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";
}
