namespace Mergepoints.Middleware.Accounts;

/// <summary>
/// Where to send a user after signing in. Only a path on this site is accepted: a full URL, <c>//host</c> or
/// <c>/\host</c> would be an open redirect, so those fall back to the site's root.
/// </summary>
public static class ReturnUrl
{
    /// <summary><paramref name="candidate"/> when it is a local path, else <paramref name="siteBase"/> + "/".</summary>
    public static string Sanitize(string? candidate, string siteBase) =>
        IsLocal(candidate) ? candidate! : siteBase + "/";

    /// <summary>Whether <paramref name="url"/> is a path on this site, in the printable ASCII a Location header can carry.</summary>
    public static bool IsLocal(string? url) =>
        url is { Length: > 0 }
        && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && url.All(c => c is > ' ' and < (char)0x7F);
}
