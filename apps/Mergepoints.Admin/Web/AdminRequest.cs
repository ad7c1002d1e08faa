using System.Security.Claims;
using System.Text;
using Mergepoints.Admin.Data;
using Mergepoints.Owin.Contract;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Mergepoints.Admin.Web;

/// <summary>
/// What every page needs from its request: where the admin is mounted (its own links), where the site's root is
/// (the user box), who is asking, and the address of this very page (for the forms to come back to). Every link
/// is built from here, so the admin works at <c>/admin</c>, at <c>/ops/admin</c>, and behind any nginx prefix.
/// </summary>
/// <param name="Base">The request's path base: the mount prefix with nginx's prefix before it.</param>
/// <param name="SiteBase">The site's root as the client sees it (<c>mergepoints.SiteBase</c>).</param>
/// <param name="Admin">The admin asking; null on the pages that tell someone else they may not.</param>
/// <param name="Here">This page's address, path base and query included.</param>
/// <param name="Stylesheet">The stylesheet's address.</param>
public sealed record AdminRequest(string Base, string SiteBase, Actor? Admin, string Here, string Stylesheet)
{
    /// <summary>The admin's home, the dashboard (never an empty href).</summary>
    public string Home => Base + "/";

    /// <summary>The host's user box script.</summary>
    public string UserBoxScript => SiteBase + "/_mergepoints/userbox.js";

    /// <summary>A path of the admin as the browser must ask for it.</summary>
    public string Link(string path) => Base + path;

    /// <summary>A path of the admin with a query of the <paramref name="query"/> pairs that have a value.</summary>
    public string Link(string path, params (string Name, string? Value)[] query)
    {
        var link = new StringBuilder(Base).Append(path);
        var separator = '?';
        foreach (var (name, value) in query)
        {
            if (!string.IsNullOrEmpty(value))
            {
                link.Append(separator).Append(name).Append('=').Append(Uri.EscapeDataString(value));
                separator = '&';
            }
        }
        return link.ToString();
    }

    /// <summary>Page <paramref name="number"/> of the list at <paramref name="path"/>, its filters and a size that is not the default kept.</summary>
    public string PageLink(string path, int number, int size, params (string Name, string? Value)[] filters) =>
        Link(path, [.. filters, ("page", number == 1 ? null : Number(number)), ("size", size == ListPage.DefaultSize ? null : Number(size))]);

    /// <summary>Whether <paramref name="path"/> of the admin is the page being shown or a page under it (the navigation marks it).</summary>
    public bool IsIn(string path)
    {
        var here = Here.Split('?', 2)[0];
        return path == "/" ? here == Home : here.StartsWith(Base + path, StringComparison.Ordinal);
    }

    /// <summary>Reads it from the request.</summary>
    public static AdminRequest From(HttpContext context)
    {
        var user = context.User;
        var id = user.Identity?.IsAuthenticated == true && user.IsInRole(AdminGate.Role) ? user.FindFirstValue(ClaimTypes.NameIdentifier) : null;
        var request = context.Request;
        return new AdminRequest(
            request.PathBase.Value ?? "",
            context.Items[OwinKeys.SiteBase] as string ?? "",
            id is null ? null : new Actor(id, user.Identity?.Name ?? id),
            $"{request.PathBase}{request.Path}{request.QueryString}",
            request.PathBase + context.RequestServices.GetRequiredService<AdminStylesheet>().Href);
    }

    private static string Number(int number) => number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The admin asking, on a page only admins reach.</summary>
    public Actor Actor => Admin ?? throw new InvalidOperationException("Only admins reach this page: the gate lets nobody else through.");
}
