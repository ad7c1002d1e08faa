using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Mergepoints.Admin.Counter;

/// <summary>
/// Where the play counter answers: the URLs of <see cref="AdminOptions.CounterUrls"/>, or else this host's own
/// counter at its first listen address. That address is read when asked, not when the admin mounts: the host
/// mounts its apps before Kestrel listens, and a port of 0 gets its number only then.
/// </summary>
internal sealed class CounterServers(AdminOptions options, IServer? hostServer)
{
    /// <summary>The counters' base URLs, each ending in <c>/</c>; empty when there is none to ask.</summary>
    public IReadOnlyList<Uri> Current()
    {
        if (options.CounterUrls.Count > 0)
        {
            return [.. options.CounterUrls.Select(url => WithSlash(new Uri(url)))];
        }
        var address = hostServer?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        return address is null ? [] : [WithSlash(new Uri(Reachable(address) + options.CounterPath))];
    }

    // Kestrel may listen on every interface ("http://0.0.0.0:5000", "http://[::]:5000", "http://+:5000"): ask loopback.
    private static string Reachable(string address)
    {
        var separator = address.IndexOf("://", StringComparison.Ordinal) + 3;
        var portStart = address.LastIndexOf(':');
        var host = address[separator..portStart];
        var loopback = host switch
        {
            "0.0.0.0" or "+" or "*" => "127.0.0.1",
            "[::]" => "[::1]",
            _ => host,
        };
        return address[..separator] + loopback + address[portStart..].TrimEnd('/');
    }

    private static Uri WithSlash(Uri url) => url.AbsolutePath.EndsWith('/') ? url : new Uri(url + "/");
}
