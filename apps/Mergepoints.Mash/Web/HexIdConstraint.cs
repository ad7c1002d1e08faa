using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Mergepoints.Mash.Web;

/// <summary>
/// <c>{id:hexid}</c>: a song's or a mash's id is a GUID as 32 hex digits, so anything else cannot name one and goes
/// to the 404 page without a look at the database. Upper case is accepted and read as lower case.
/// </summary>
internal sealed class HexIdConstraint : IRouteConstraint
{
    public const string Name = "hexid";

    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
        values.TryGetValue(routeKey, out var value) && value is string id && IsId(id);

    /// <summary>Whether <paramref name="text"/> can be a song's or a mash's id: 32 hex digits, either case.</summary>
    public static bool IsId(string text) => text.Length == 32 && text.All(char.IsAsciiHexDigit);

    /// <summary>The id as the library stores it.</summary>
    public static string Normalize(string id) => id.ToLowerInvariant();
}
