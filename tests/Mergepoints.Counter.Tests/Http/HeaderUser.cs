using System.Security.Claims;

namespace Mergepoints.Counter.Tests.Http;

/// <summary>
/// Stands in for the host's user middleware: puts the user that the request's <c>X-Test-User</c> header names into
/// <c>server.User</c> (<c>ann</c> is signed in, <c>root admin</c> is an admin), and leaves the request anonymous
/// without it. The counter reads only <c>server.User</c>, so this is all it sees of a real session.
/// </summary>
internal static class HeaderUser
{
    public const string Header = "X-Test-User";

    /// <summary>The header's value for an admin.</summary>
    public const string Admin = "root admin";

    /// <summary>What a <see cref="Mergepoints.Counter.Client.CountClientOptions"/> sends to be <paramref name="user"/> (an admin by default).</summary>
    public static IReadOnlyDictionary<string, string> Headers(string user = Admin) => new Dictionary<string, string> { [Header] = user };

    public static Func<IDictionary<string, object>, Task> In(Func<IDictionary<string, object>, Task> app) => environment =>
    {
        var headers = (IDictionary<string, string[]>)environment["owin.RequestHeaders"];
        if (headers.TryGetValue(Header, out var values) && values.Length == 1)
        {
            var parts = values[0].Split(' ');
            List<Claim> claims = [new(ClaimTypes.Name, parts[0])];
            claims.AddRange(parts.Skip(1).Select(role => new Claim(ClaimTypes.Role, role)));
            environment["server.User"] = new ClaimsPrincipal(new ClaimsIdentity(claims, "test"));
        }
        return app(environment);
    };
}
