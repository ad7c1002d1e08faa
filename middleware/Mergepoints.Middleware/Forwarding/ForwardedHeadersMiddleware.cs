using System.Net;
using Mergepoints.Owin.Contract;
using Mergepoints.Owin.Dispatch;

namespace Mergepoints.Middleware.Forwarding;

/// <summary>
/// Believes X-Forwarded-For/Proto/Host/Prefix only when the request comes from a known proxy, and then moves
/// them where they belong: the client's address, the scheme, the Host header, and the prefix into the path
/// base. A prefix that is not a clean path (<c>//</c>, <c>..</c>, a scheme or host) is ignored: taking it would
/// make every redirect built from the path base an open redirect. Applied headers are removed, so a proxy mount
/// further in sends fresh ones. Finally notes <c>mergepoints.SiteBase</c>, the root of the site as the client sees it.
/// <c>X-Sendfile-Type</c> (nginx saying it sends files named by <c>X-Accel-Redirect</c>) stays only on a request
/// from a known proxy: from anyone else it is removed, or a client would get an empty answer in place of a song.
/// </summary>
public static class ForwardedHeadersMiddleware
{
    /// <summary>The request header by which a proxy offers to send files itself (Rack's name for it).</summary>
    public const string SendfileTypeHeader = "X-Sendfile-Type";

    /// <summary>The middleware for <paramref name="options"/>.</summary>
    public static MidFunc Create(TrustedProxyOptions options)
    {
        var known = options.KnownProxies.Select(a => Normal(IPAddress.Parse(a))).ToHashSet();
        return next => env =>
        {
            var owin = new OwinContext(env);
            if (RemoteAddress(env) is { } address && known.Contains(Normal(address)))
            {
                Apply(owin, known);
            }
            else
            {
                owin.RequestHeaders.Remove(SendfileTypeHeader);
            }
            env[OwinKeys.SiteBase] = owin.RequestPathBase;
            return next(env);
        };
    }

    private static void Apply(OwinContext owin, HashSet<IPAddress> known)
    {
        var headers = owin.RequestHeaders;
        if (Take(headers, "X-Forwarded-For") is { } forwardedFor)
        {
            // The rightmost address that is not one of our proxies is the client.
            var client = forwardedFor.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Reverse().Select(a => IPAddress.TryParse(a, out var ip) ? Normal(ip) : null).FirstOrDefault(ip => ip is not null && !known.Contains(ip));
            if (client is not null)
            {
                owin.Environment[OwinKeys.RemoteIpAddress] = client.ToString();
            }
        }
        if (Take(headers, "X-Forwarded-Proto") is { } scheme && scheme is "http" or "https")
        {
            owin.Environment[OwinKeys.RequestScheme] = scheme;
        }
        if (Take(headers, "X-Forwarded-Host") is { } host && Uri.CheckHostName(host.Split(':')[0]) != UriHostNameType.Unknown)
        {
            headers["Host"] = [host];
        }
        if (Take(headers, "X-Forwarded-Prefix") is { } prefix && CleanPrefix(prefix) is { } clean)
        {
            owin.RequestPathBase = clean + owin.RequestPathBase;
        }
    }

    // Over Kestrel the address is read as it is, not printed to a string and parsed back on every request.
    private static IPAddress? RemoteAddress(IDictionary<string, object> env) =>
        env.TryGetValue(OwinKeys.HttpContext, out var context) && context is Microsoft.AspNetCore.Http.HttpContext http
            ? http.Connection.RemoteIpAddress
            : env.TryGetValue(OwinKeys.RemoteIpAddress, out var remote) && IPAddress.TryParse(remote as string, out var parsed) ? parsed : null;

    // A dual-stack socket sees nginx on 127.0.0.1 as ::ffff:127.0.0.1; both are the same proxy.
    private static IPAddress Normal(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static string? CleanPrefix(string prefix)
    {
        var trimmed = prefix.Length > 1 ? prefix.TrimEnd('/') : prefix;
        return trimmed == "/" ? "" : MountPrefix.Problem(trimmed) is null && !trimmed.Contains('\\') && !trimmed.Contains(':') ? trimmed : null;
    }

    private static string? Take(IDictionary<string, string[]> headers, string name)
    {
        if (!headers.TryGetValue(name, out var values) || values.Length == 0)
        {
            return null;
        }
        headers.Remove(name);
        return string.Join(",", values).Trim();
    }
}
