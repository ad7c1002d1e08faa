using Microsoft.Net.Http.Headers;

namespace Mergepoints.Host.Mounts;

/// <summary>
/// Puts the mount prefix back into what a proxied backend says about its own paths. A backend that knows
/// nothing of its prefix redirects to <c>/login</c> and sets cookies on <c>Path=/</c>; under <c>/legacy</c>
/// the browser must see <c>/legacy/login</c> and <c>Path=/legacy</c>, or redirects leave the mount and
/// sessions never come back to it. No proxy we know of does this, so it is ours.
/// </summary>
internal static class ProxyPrefixRewriter
{
    /// <summary>
    /// The <c>Location</c> the client should see, or null to leave it as it is: paths on the backend and
    /// absolute URLs of the backend itself are moved under <paramref name="mountBase"/>; other sites are not.
    /// </summary>
    public static string? RewriteLocation(string location, Uri destination, string mountBase)
    {
        if (location.StartsWith("//", StringComparison.Ordinal))
        {
            return null;
        }
        if (location.StartsWith('/'))
        {
            var end = location.IndexOfAny(['?', '#']);
            var (path, rest) = end < 0 ? (location, "") : (location[..end], location[end..]);
            return MapPath(path, destination, mountBase) is { } mapped ? mapped + rest : null;
        }
        if (Uri.TryCreate(location, UriKind.Absolute, out var absolute)
            && string.Equals(absolute.GetLeftPart(UriPartial.Authority), destination.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
        {
            return MapPath(absolute.AbsolutePath, destination, mountBase) is { } mapped ? mapped + absolute.Query + absolute.Fragment : null;
        }
        return null;
    }

    /// <summary>
    /// The <c>Set-Cookie</c> value kept under the mount: a <c>Path</c> on the backend's root moves under the
    /// prefix, a <c>Path</c> elsewhere becomes the prefix itself, and <c>Domain</c> goes. Null drops a value that
    /// cannot be parsed: passed on, a browser might read it as a cookie for the whole site.
    /// </summary>
    public static string? RewriteSetCookie(string setCookie, Uri destination, string mountBase)
    {
        if (!SetCookieHeaderValue.TryParse(setCookie, out var cookie))
        {
            return null;
        }
        cookie.Domain = null;
        if (cookie.Path.Value is { } path)
        {
            var mapped = MapPath(path, destination, mountBase) ?? mountBase;
            // Path=/legacy matches /legacy and everything below it; Path=/legacy/ would miss /legacy itself.
            cookie.Path = mapped.Length > 1 && mapped.EndsWith('/') ? mapped[..^1] : mapped;
        }
        return cookie.ToString();
    }

    /// <summary>
    /// The <c>Cookie</c> header a backend may see: all the client's cookies but the ones the host keeps to
    /// itself (the session is a key to every mount, not a service's business), or null when none is left.
    /// </summary>
    public static string? WithoutHostCookies(IEnumerable<string> cookieHeaders, IReadOnlySet<string> hostCookies)
    {
        var kept = cookieHeaders
            .SelectMany(header => header.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Where(pair => !hostCookies.Contains(pair.Split('=', 2)[0].Trim()))
            .ToList();
        return kept.Count == 0 ? null : string.Join("; ", kept);
    }

    private static string? MapPath(string backendPath, Uri destination, string mountBase)
    {
        var destinationBase = destination.AbsolutePath.TrimEnd('/');
        if (destinationBase.Length > 0)
        {
            var inside = backendPath.StartsWith(destinationBase, StringComparison.Ordinal)
                && (backendPath.Length == destinationBase.Length || backendPath[destinationBase.Length] == '/');
            if (!inside)
            {
                return null;
            }
            backendPath = backendPath[destinationBase.Length..];
        }
        return backendPath.Length == 0 ? mountBase + "/" : mountBase + backendPath;
    }
}
