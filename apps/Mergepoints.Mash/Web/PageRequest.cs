using System.Security.Claims;
using Mergepoints.Owin.Contract;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Mergepoints.Mash.Web;

/// <summary>
/// What every page needs from its request: where this app is mounted (links to itself), where the site's root is
/// (links to the accounts, the counter, the user box), who is signed in, and the asset URLs. Pages build every
/// link from here, so the app works under any mount prefix and behind any nginx prefix.
/// </summary>
/// <param name="Base">The request's path base: the mount prefix with nginx's prefix before it; empty at the root.</param>
/// <param name="SiteBase">The site's root as the client sees it (<c>mergepoints.SiteBase</c>).</param>
/// <param name="UserId">The signed-in user's id, or null.</param>
/// <param name="UserName">The signed-in user's name, or null.</param>
/// <param name="Options">The site's settings.</param>
/// <param name="Assets">The stylesheet's and script's URLs.</param>
public sealed record PageRequest(string Base, string SiteBase, string? UserId, string? UserName, MashSiteOptions Options, SiteAssets Assets)
{
    /// <summary>The path of the page asked for, below <see cref="Base"/>: <c>/gallery</c>, <c>/</c>.</summary>
    public string Path { get; init; } = "/";

    /// <summary>The page asked for with its query, below <see cref="Base"/>: where a login from this page comes back to.</summary>
    public string Here { get; init; } = "/";

    /// <summary>Whether someone is signed in: uploading needs it, listening does not.</summary>
    public bool SignedIn => UserId is not null;

    /// <summary>A path of this app as the browser must ask for it: <c>/mashes/1</c> becomes <c>/mm/mashes/1</c> under <c>/mm</c>.</summary>
    public string Link(string path) => Base + path;

    /// <summary>This app's home page (never an empty href).</summary>
    public string Home => Base + "/";

    /// <summary>The counter's root as the browser reaches it; null when the site mounts no counter.</summary>
    public string? Counter => Options.CounterPath is { } path ? SiteBase + path : null;

    /// <summary>The host's user box script.</summary>
    public string UserBoxScript => SiteBase + "/_mergepoints/userbox.js";

    /// <summary>The login page, coming back to <paramref name="path"/> of this app afterwards.</summary>
    public string Login(string path) => $"{SiteBase}{Options.AccountsPath}/login?returnUrl={Uri.EscapeDataString(Link(path))}";

    /// <summary>The register page, coming back to <paramref name="path"/> of this app afterwards.</summary>
    public string Register(string path) => $"{SiteBase}{Options.AccountsPath}/register?returnUrl={Uri.EscapeDataString(Link(path))}";

    /// <summary>Reads it from the request.</summary>
    public static PageRequest From(HttpContext context)
    {
        var user = context.User;
        var id = user.Identity?.IsAuthenticated == true ? user.FindFirstValue(ClaimTypes.NameIdentifier) : null;
        var path = context.Request.Path.HasValue ? context.Request.Path.Value : "/";
        return new PageRequest(
            context.Request.PathBase.Value ?? "",
            context.Items[OwinKeys.SiteBase] as string ?? "",
            id,
            id is null ? null : user.Identity?.Name,
            context.RequestServices.GetRequiredService<MashSiteOptions>(),
            context.RequestServices.GetRequiredService<SiteAssets>())
        {
            Path = path,
            Here = path + context.Request.QueryString,
        };
    }
}
