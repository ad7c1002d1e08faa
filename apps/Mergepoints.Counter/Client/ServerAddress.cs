namespace Mergepoints.Counter.Client;

/// <summary>
/// A counter server's base URL in one spelling: <c>http://Host:80/api</c> and <c>http://host/api/</c> are the same
/// server, and song paths are resolved under it, prefix kept.
/// </summary>
internal static class ServerAddress
{
    /// <summary>Scheme and host in lower case, no default port, the path ending in '/'.</summary>
    public static Uri Normalize(Uri server)
    {
        ArgumentNullException.ThrowIfNull(server);
        if (!server.IsAbsoluteUri || server.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"A counter server is an absolute http or https URL, not '{server}'.", nameof(server));
        }
        if (server.Query.Length > 0 || server.Fragment.Length > 0)
        {
            throw new ArgumentException($"A counter server's URL is a base to put song paths under; '{server}' has a query or fragment.", nameof(server));
        }
        var path = server.GetLeftPart(UriPartial.Path);
        return new Uri(path.EndsWith('/') ? path : path + "/");
    }

    /// <summary>
    /// Every server normalized; none missing, none twice (get-all would count that server's songs twice), no two on one
    /// <c>host:port</c>.
    /// </summary>
    public static IReadOnlyList<Uri> NormalizeAll(IReadOnlyList<Uri>? servers)
    {
        if (servers is null || servers.Count == 0)
        {
            throw new ArgumentException("A CountClient needs at least one counter server.", nameof(servers));
        }
        var normalized = servers.Select(Normalize).ToArray();
        var twice = normalized.GroupBy(server => server.AbsoluteUri, StringComparer.Ordinal).FirstOrDefault(group => group.Count() > 1);
        if (twice is not null)
        {
            throw new ArgumentException($"The counter server {twice.Key} is listed twice.", nameof(servers));
        }
        var sameName = normalized.GroupBy(NginxHashPlacement.ServerName, StringComparer.Ordinal).FirstOrDefault(group => group.Count() > 1);
        if (sameName is not null)
        {
            // nginx's hash knows a server by host:port alone: two paths on one server would own the same songs.
            throw new ArgumentException(
                $"The counter servers {string.Join(" and ", sameName)} share {sameName.Key}; the placement tells servers apart by host and port only.",
                nameof(servers));
        }
        return normalized;
    }
}
