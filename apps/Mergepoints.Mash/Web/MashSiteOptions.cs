using Mergepoints.Mash.Library;

namespace Mergepoints.Mash.Web;

/// <summary>
/// The site's own keys in section <c>Mash</c> of appsettings.json (the library's keys live in the same section): how
/// long a page of the gallery, "my mashes" and the songs is; and where the account pages and the play counter are,
/// which the mount takes from the site config.
/// </summary>
public sealed class MashSiteOptions
{
    /// <summary>
    /// Where the play counter is mounted, from the site's root ("" at the root itself): the pages post each play to
    /// <c>{CounterPath}/song/{id}</c>; null when the site mounts no counter, and plays are not counted. The mount sets
    /// it from the site config's <c>counter</c> mount, not from appsettings.json, so it cannot point where no counter is.
    /// </summary>
    public string? CounterPath { get; set; }

    /// <summary>Mashes or songs per page.</summary>
    public int GalleryPageSize { get; set; } = 12;

    /// <summary>Where the host mounts the account pages; the mount sets it from the site config, not from appsettings.json.</summary>
    public string AccountsPath { get; set; } = "/account";

    /// <summary>The first setting the site cannot work with, as <c>Key: what is wrong</c>; null when all are fine.</summary>
    public string? Problem()
    {
        if (CounterPath is { Length: > 0 } && !IsPath(CounterPath))
        {
            return $"CounterPath must be a path that starts with / and does not end with one, like /api; it is \"{CounterPath}\"";
        }
        if (!IsPath(AccountsPath))
        {
            return $"AccountsPath must be a path that starts with / and does not end with one, like /account; it is \"{AccountsPath}\"";
        }
        // The library's lists stop at their largest page; a longer one here would be cut short without a word.
        return GalleryPageSize is < 1 or > Paging.MaxPageSize
            ? $"GalleryPageSize must be between 1 and {Paging.MaxPageSize}; it is {GalleryPageSize}"
            : null;
    }

    private static bool IsPath(string? path) =>
        path is { Length: > 1 } && path[0] == '/' && path[^1] != '/' && !path.Contains("//", StringComparison.Ordinal)
        && path.All(c => c is > ' ' and < (char)0x7F and not '"' and not '<' and not '>' and not '?' and not '#');
}
