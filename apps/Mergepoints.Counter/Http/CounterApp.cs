using System.Data.Common;
using System.Globalization;
using System.Security.Claims;
using Mergepoints.Counter.Storage;
using Mergepoints.Counter.WriteBehind;

namespace Mergepoints.Counter.Http;

/// <summary>
/// The play counter's HTTP interface as a bare OWIN app, the way the original was bare WSGI: it reads the
/// environment by the OWIN spec's key names and references nothing but the BCL, so any OWIN server can run it.
/// </summary>
/// <remarks>
/// <c>GET /song/{id}</c> the count · <c>POST /song/{id}</c> adds one once it is durable · <c>GET /</c> every
/// count. For admins only (<c>server.User</c> in role <c>admin</c>; the admin app calls them over HTTP with its
/// session cookie): <c>DELETE /</c> clears every count (anyone could in the original, which a public site cannot
/// allow) · <c>DELETE /song/{id}</c> clears one song · <c>POST /flush</c> runs write-behind now. Plain text unless
/// Accept asks for JSON.
/// </remarks>
public static class CounterApp
{
    private const string SongPrefix = "/song/";
    private const string FlushPath = "/flush";
    private const string SongMethods = "GET, HEAD, POST, DELETE";
    private const string RootMethods = "GET, HEAD, DELETE";
    private const string AdminRole = "admin";

    // Header values shared by every response: the counter is on the hot path of every play, and these arrays
    // are only ever replaced in the environment, never written into.
    private static readonly string[] TextType = ["text/plain; charset=utf-8"];
    private static readonly string[] JsonType = ["application/json"];
    private static readonly string[] NoStore = ["no-store"];
    // RFC 9110 wants a challenge with every 401. The counter knows its callers by the site's session cookie (the
    // host's user middleware reads it into server.User), so the challenge names that, not a scheme a client
    // could answer by itself.
    private static readonly string[] CookieChallenge = ["Cookie realm=\"mergepoints\""];
    private static readonly string[][] Lengths = [.. Enumerable.Range(0, 64).Select(n => new[] { n.ToString(CultureInfo.InvariantCulture) })];

    /// <summary>The app over <paramref name="counts"/>; the caller owns the counts and disposes them after the server stops.</summary>
    /// <param name="counts">The counts it serves.</param>
    /// <param name="flush">
    /// One write-behind flush, which <c>POST /flush</c> runs (<see cref="SongsWriteBehind.FlushAsync"/>, or the host's
    /// wrapper that logs it); null where there is no database to flush into, and <c>POST /flush</c> is then a 404.
    /// </param>
    public static AppFunc Create(PlayCounts counts, Func<CancellationToken, Task<WriteBehindResult>>? flush = null)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return environment => Handle(counts, flush, environment);
    }

    private static Task Handle(PlayCounts counts, Func<CancellationToken, Task<WriteBehindResult>>? flush, IDictionary<string, object> environment)
    {
        var path = (string)environment["owin.RequestPath"];
        var method = (string)environment["owin.RequestMethod"];
        var json = Answer.WantsJson(environment["owin.RequestHeaders"] as IDictionary<string, string[]>);

        if (path is "" or "/")
        {
            return method switch
            {
                "GET" or "HEAD" => Respond(environment, 200, Answer.All(counts.All(), json), json),
                "DELETE" => RefuseUnlessAdmin(environment, "clear every count", json) ?? ResetAsync(counts, environment, json),
                _ => Refuse(environment, 405, $"{method} is not allowed here; use {RootMethods}.", json, RootMethods),
            };
        }
        if (path == FlushPath)
        {
            if (method != "POST")
            {
                return Refuse(environment, 405, $"{method} is not allowed here; use POST.", json, "POST");
            }
            return RefuseUnlessAdmin(environment, "flush the counts into the database", json)
                ?? (flush is null
                    ? Refuse(environment, 404, "Write-behind is not set up here: there is no database to flush into.", json)
                    : FlushAsync(flush, environment, json));
        }
        if (!path.StartsWith(SongPrefix, StringComparison.Ordinal))
        {
            return Refuse(environment, 404, "Not found: the counter answers /song/{id}, / and /flush.", json);
        }
        if (method is not ("GET" or "HEAD" or "POST" or "DELETE"))
        {
            return Refuse(environment, 405, $"{method} is not allowed on a song; use {SongMethods}.", json, SongMethods);
        }
        if (method == "DELETE" && RefuseUnlessAdmin(environment, "reset a song's count", json) is { } refusal)
        {
            return refusal;
        }
        if (!SongIdPath.TryParse(path[SongPrefix.Length..], out var id, out var error))
        {
            return Refuse(environment, 400, error!, json);
        }
        return method switch
        {
            "POST" => IncrementAsync(counts, environment, id, json),
            "DELETE" => ResetSongAsync(counts, environment, id, json),
            _ => Respond(environment, 200, Answer.Count(id, counts.Get(id), json), json),
        };
    }

    /// <summary>
    /// Null when the caller is an admin; otherwise the refusal: 401 with a challenge when nobody is signed in (no
    /// <c>server.User</c>, or an anonymous one), 403 when the one signed in is not an admin.
    /// </summary>
    private static Task? RefuseUnlessAdmin(IDictionary<string, object> environment, string action, bool json)
    {
        if (environment.TryGetValue("server.User", out var value) && value is ClaimsPrincipal { Identity.IsAuthenticated: true } user)
        {
            return user.IsInRole(AdminRole) ? null : Refuse(environment, 403, $"Only an admin may {action}.", json);
        }
        ((IDictionary<string, string[]>)environment["owin.ResponseHeaders"])["WWW-Authenticate"] = CookieChallenge;
        return Refuse(environment, 401, $"Sign in as an admin to {action}.", json);
    }

    private static async Task IncrementAsync(PlayCounts counts, IDictionary<string, object> environment, string id, bool json)
    {
        long count;
        try
        {
            count = await counts.IncrementAsync(id, CallCancelled(environment)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            await Unavailable(environment, e, "this play may or may not have been counted", json).ConfigureAwait(false);
            return;
        }
        await Respond(environment, 200, Answer.Count(id, count, json), json).ConfigureAwait(false);
    }

    private static async Task ResetAsync(PlayCounts counts, IDictionary<string, object> environment, bool json)
    {
        try
        {
            await counts.ResetAsync(CallCancelled(environment)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            await Unavailable(environment, e, "the counts may or may not have been cleared", json).ConfigureAwait(false);
            return;
        }
        await Respond(environment, 200, Answer.Ok(json), json).ConfigureAwait(false);
    }

    private static async Task ResetSongAsync(PlayCounts counts, IDictionary<string, object> environment, string id, bool json)
    {
        try
        {
            await counts.ResetSongAsync(id, CallCancelled(environment)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            await Unavailable(environment, e, "the song's count may or may not have been cleared", json).ConfigureAwait(false);
            return;
        }
        await Respond(environment, 200, Answer.Ok(json), json).ConfigureAwait(false);
    }

    private static async Task FlushAsync(Func<CancellationToken, Task<WriteBehindResult>> flush, IDictionary<string, object> environment, bool json)
    {
        WriteBehindResult result;
        try
        {
            result = await flush(CallCancelled(environment)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DbException or WriteBehindException or TimeoutException or IOException or ObjectDisposedException)
        {
            // The flush protocol loses nothing when it fails: say why in one line (the database's own first line,
            // which names the problem: a missing table, a refused connection) and that the plays are safe. Any
            // other exception is a bug, and goes on to the host's 500 rather than pass for something to retry.
            var why = e.Message.Split('\n', 2)[0].Trim().TrimEnd('.');
            ((IDictionary<string, string[]>)environment["owin.ResponseHeaders"])["Retry-After"] = ["30"];
            var failed = why.Length == 0 ? "The flush failed" : $"The flush failed ({why})";
            await Respond(environment, 503, Answer.Error($"{failed}; nothing is lost, the plays stay in the counter. Try again later.", json), json).ConfigureAwait(false);
            return;
        }
        await Respond(environment, 200, Answer.Flushed(result, json), json).ConfigureAwait(false);
    }

    /// <summary>
    /// The log could not take the change: its disk failed (the counter takes no more changes until a restart
    /// recovers from what is really on disk) or the counter is closing with the host. Either way the client is
    /// told it is temporary and that the outcome of this one request is unknown.
    /// </summary>
    private static Task Unavailable(IDictionary<string, object> environment, Exception failure, string outcome, bool json)
    {
        ((IDictionary<string, string[]>)environment["owin.ResponseHeaders"])["Retry-After"] = [failure is ObjectDisposedException ? "1" : "30"];
        var why = failure is ObjectDisposedException ? "The counter is shutting down" : "The counter cannot write its log";
        return Respond(environment, 503, Answer.Error($"{why}; {outcome}. Try again later.", json), json);
    }

    private static Task Refuse(IDictionary<string, object> environment, int status, string reason, bool json, string? allow = null)
    {
        if (allow is not null)
        {
            ((IDictionary<string, string[]>)environment["owin.ResponseHeaders"])["Allow"] = [allow];
        }
        return Respond(environment, status, Answer.Error(reason, json), json);
    }

    private static Task Respond(IDictionary<string, object> environment, int status, byte[] body, bool json)
    {
        environment["owin.ResponseStatusCode"] = status;
        var headers = (IDictionary<string, string[]>)environment["owin.ResponseHeaders"];
        headers["Content-Type"] = json ? JsonType : TextType;
        headers["Content-Length"] = body.Length < Lengths.Length ? Lengths[body.Length] : [body.Length.ToString(CultureInfo.InvariantCulture)];
        // Counts change with every play: nothing in between may answer from a cache.
        headers["Cache-Control"] = NoStore;
        return (string)environment["owin.RequestMethod"] == "HEAD"
            ? Task.CompletedTask
            : ((Stream)environment["owin.ResponseBody"]).WriteAsync(body, CallCancelled(environment)).AsTask();
    }

    private static CancellationToken CallCancelled(IDictionary<string, object> environment) =>
        environment.TryGetValue("owin.CallCancelled", out var token) && token is CancellationToken cancellation ? cancellation : CancellationToken.None;
}
