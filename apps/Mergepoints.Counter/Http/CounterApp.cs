using System.Data.Common;
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
        var json = Answer.WantsJson(environment["owin.RequestHeaders"] as IDictionary<string, string[]>);
        if (!CounterRoutes.TryRoute(environment, json, out var action, out var id, out var refusal))
        {
            return refusal;
        }
        return action switch
        {
            CounterAction.Count => CounterResponse.Respond(environment, 200, Answer.Count(id, counts.Get(id), json), json),
            CounterAction.Increment => IncrementAsync(counts, environment, id, json),
            CounterAction.ResetSong => ResetSongAsync(counts, environment, id, json),
            CounterAction.All => CounterResponse.Respond(environment, 200, Answer.All(counts.All(), json), json),
            CounterAction.Reset => ResetAsync(counts, environment, json),
            _ => flush is null
                ? CounterResponse.Refuse(environment, 404, "Write-behind is not set up here: there is no database to flush into.", json)
                : FlushAsync(flush, environment, json),
        };
    }

    private static async Task IncrementAsync(PlayCounts counts, IDictionary<string, object> environment, string id, bool json)
    {
        long count;
        try
        {
            count = await counts.IncrementAsync(id, CounterResponse.CallCancelled(environment)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            await Unavailable(environment, e, "this play may or may not have been counted", json).ConfigureAwait(false);
            return;
        }
        await CounterResponse.Respond(environment, 200, Answer.Count(id, count, json), json).ConfigureAwait(false);
    }

    private static async Task ResetAsync(PlayCounts counts, IDictionary<string, object> environment, bool json)
    {
        try
        {
            await counts.ResetAsync(CounterResponse.CallCancelled(environment)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            await Unavailable(environment, e, "the counts may or may not have been cleared", json).ConfigureAwait(false);
            return;
        }
        await CounterResponse.Respond(environment, 200, Answer.Ok(json), json).ConfigureAwait(false);
    }

    private static async Task ResetSongAsync(PlayCounts counts, IDictionary<string, object> environment, string id, bool json)
    {
        try
        {
            await counts.ResetSongAsync(id, CounterResponse.CallCancelled(environment)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            await Unavailable(environment, e, "the song's count may or may not have been cleared", json).ConfigureAwait(false);
            return;
        }
        await CounterResponse.Respond(environment, 200, Answer.Ok(json), json).ConfigureAwait(false);
    }

    private static async Task FlushAsync(Func<CancellationToken, Task<WriteBehindResult>> flush, IDictionary<string, object> environment, bool json)
    {
        WriteBehindResult result;
        try
        {
            result = await flush(CounterResponse.CallCancelled(environment)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DbException or WriteBehindException or TimeoutException or IOException or ObjectDisposedException)
        {
            // The flush protocol loses nothing when it fails: say why in one line (the database's own first line,
            // which names the problem: a missing table, a refused connection) and that the plays are safe. Any
            // other exception is a bug, and goes on to the host's 500 rather than pass for something to retry.
            var why = e.Message.Split('\n', 2)[0].Trim().TrimEnd('.');
            var failed = why.Length == 0 ? "The flush failed" : $"The flush failed ({why})";
            await CounterResponse.Unavailable(environment, 30, $"{failed}; nothing is lost, the plays stay in the counter. Try again later.", json).ConfigureAwait(false);
            return;
        }
        await CounterResponse.Respond(environment, 200, Answer.Flushed(result, json), json).ConfigureAwait(false);
    }

    /// <summary>
    /// The log could not take the change: its disk failed (the counter takes no more changes until a restart
    /// recovers from what is really on disk) or the counter is closing with the host. Either way the client is
    /// told it is temporary and that the outcome of this one request is unknown.
    /// </summary>
    private static Task Unavailable(IDictionary<string, object> environment, Exception failure, string outcome, bool json)
    {
        var why = failure is ObjectDisposedException ? "The counter is shutting down" : "The counter cannot write its log";
        return CounterResponse.Unavailable(environment, failure is ObjectDisposedException ? 1 : 30, $"{why}; {outcome}. Try again later.", json);
    }
}
