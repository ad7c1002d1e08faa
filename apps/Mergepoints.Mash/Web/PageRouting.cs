using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Mergepoints.Mash.Web;

/// <summary>
/// Pages answer HEAD as they answer GET (<c>MapGet</c> alone leaves HEAD to the 404 fallback): link checkers,
/// monitors and <c>curl -I</c> ask with HEAD. Kestrel sends the headers and drops the body.
/// </summary>
internal static class PageRouting
{
    private static readonly string[] GetOrHead = [HttpMethods.Get, HttpMethods.Head];

    /// <summary>Maps <paramref name="handler"/> for GET and HEAD.</summary>
    public static RouteHandlerBuilder MapPage(this IEndpointRouteBuilder app, string pattern, Delegate handler) => app.MapMethods(pattern, GetOrHead, handler);
}
