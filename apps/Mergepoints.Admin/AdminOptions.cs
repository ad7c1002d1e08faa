namespace Mergepoints.Admin;

/// <summary>
/// Section <c>Admin</c> of appsettings.json (the counter servers), with what the mount learns from the site config
/// (where the account pages and the counter are mounted).
/// </summary>
public sealed class AdminOptions
{
    /// <summary>
    /// The play counter's servers, one URL per shard with the counter's mount path (<c>http://10.0.0.1:5000/api</c>):
    /// "reset a song's count" and "flush now" ask every one, the dashboard adds their live counts up. Empty means the
    /// counter of this very host, at its own first listen address.
    /// </summary>
    public IReadOnlyList<string> CounterUrls { get; set; } = [];

    /// <summary>Where the counter is mounted on this host, used when <see cref="CounterUrls"/> is empty; set by the mount.</summary>
    public string CounterPath { get; set; } = "/api";

    /// <summary>Where the host mounts the account pages, from the site's root; set by the mount from the site config.</summary>
    public string AccountsPath { get; set; } = "/account";

    /// <summary>The first setting the admin cannot work with, as <c>Key: what is wrong</c>; null when all are fine.</summary>
    public string? Problem()
    {
        foreach (var url in CounterUrls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            {
                return $"CounterUrls must hold http or https URLs such as http://127.0.0.1:5000/api; \"{url}\" is not one";
            }
        }
        return IsPath(CounterPath) ? IsPath(AccountsPath) ? null : $"AccountsPath must be a path such as /account; it is \"{AccountsPath}\""
            : $"CounterPath must be a path such as /api; it is \"{CounterPath}\"";
    }

    private static bool IsPath(string? path) => path is { Length: > 1 } && path[0] == '/' && path[^1] != '/' && Uri.IsWellFormedUriString(path, UriKind.Relative);
}
