using System.Security.Claims;

namespace Mergepoints.Counter.Http;

/// <summary>
/// The counter's paths, methods and admin rule, in one place for both of its apps: <see cref="CounterApp"/> over
/// local counts and <see cref="CounterGateway"/> over shards answer every request the same way up to the action.
/// </summary>
internal static class CounterRoutes
{
    private const string SongPrefix = "/song/";
    private const string FlushPath = "/flush";
    private const string SongMethods = "GET, HEAD, POST, DELETE";
    private const string RootMethods = "GET, HEAD, DELETE";
    private const string AdminRole = "admin";

    // RFC 9110 wants a challenge with every 401. The counter knows its callers by the site's session cookie (the
    // host's user middleware reads it into server.User), so the challenge names that, not a scheme a client
    // could answer by itself.
    private static readonly string[] CookieChallenge = ["Cookie realm=\"mergepoints\""];

    /// <summary>
    /// The action and song id the request asks for; or false, with <paramref name="refusal"/> already answering it
    /// (404, 405 with <c>Allow</c>, 400 for a bad id, 401/403 for an admin's action asked by someone else).
    /// </summary>
    public static bool TryRoute(IDictionary<string, object> environment, bool json, out CounterAction action, out string songId, out Task refusal)
    {
        var path = (string)environment["owin.RequestPath"];
        var method = (string)environment["owin.RequestMethod"];
        (action, songId, refusal) = (default, "", Task.CompletedTask);

        if (path is "" or "/")
        {
            switch (method)
            {
                case "GET" or "HEAD":
                    action = CounterAction.All;
                    return true;
                case "DELETE":
                    action = CounterAction.Reset;
                    return IsAdmin(environment, "clear every count", json, out refusal);
                default:
                    refusal = CounterResponse.Refuse(environment, 405, $"{method} is not allowed here; use {RootMethods}.", json, RootMethods);
                    return false;
            }
        }
        if (path == FlushPath)
        {
            action = CounterAction.Flush;
            if (method != "POST")
            {
                refusal = CounterResponse.Refuse(environment, 405, $"{method} is not allowed here; use POST.", json, "POST");
                return false;
            }
            return IsAdmin(environment, "flush the counts into the database", json, out refusal);
        }
        if (!path.StartsWith(SongPrefix, StringComparison.Ordinal))
        {
            refusal = CounterResponse.Refuse(environment, 404, "Not found: the counter answers /song/{id}, / and /flush.", json);
            return false;
        }
        if (method is not ("GET" or "HEAD" or "POST" or "DELETE"))
        {
            refusal = CounterResponse.Refuse(environment, 405, $"{method} is not allowed on a song; use {SongMethods}.", json, SongMethods);
            return false;
        }
        if (method == "DELETE" && !IsAdmin(environment, "reset a song's count", json, out refusal))
        {
            return false;
        }
        if (!SongIdPath.TryParse(path[SongPrefix.Length..], out songId, out var error))
        {
            refusal = CounterResponse.Refuse(environment, 400, error!, json);
            return false;
        }
        action = method switch
        {
            "POST" => CounterAction.Increment,
            "DELETE" => CounterAction.ResetSong,
            _ => CounterAction.Count,
        };
        return true;
    }

    /// <summary>
    /// True when the caller is an admin; otherwise <paramref name="refusal"/> answers: 401 with a challenge when
    /// nobody is signed in (no <c>server.User</c>, or an anonymous one), 403 when the one signed in is not an admin.
    /// </summary>
    private static bool IsAdmin(IDictionary<string, object> environment, string action, bool json, out Task refusal)
    {
        if (environment.TryGetValue("server.User", out var value) && value is ClaimsPrincipal { Identity.IsAuthenticated: true } user)
        {
            var admin = user.IsInRole(AdminRole);
            refusal = admin ? Task.CompletedTask : CounterResponse.Refuse(environment, 403, $"Only an admin may {action}.", json);
            return admin;
        }
        ((IDictionary<string, string[]>)environment["owin.ResponseHeaders"])["WWW-Authenticate"] = CookieChallenge;
        refusal = CounterResponse.Refuse(environment, 401, $"Sign in as an admin to {action}.", json);
        return false;
    }
}
