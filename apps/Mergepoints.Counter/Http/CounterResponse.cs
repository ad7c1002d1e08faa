using System.Globalization;

namespace Mergepoints.Counter.Http;

/// <summary>How the counter's apps write an answer into the OWIN environment: one place for the headers every answer carries.</summary>
internal static class CounterResponse
{
    // Header values shared by every response: the counter is on the hot path of every play, and these arrays
    // are only ever replaced in the environment, never written into.
    private static readonly string[] TextType = ["text/plain; charset=utf-8"];
    private static readonly string[] JsonType = ["application/json"];
    private static readonly string[] NoStore = ["no-store"];
    private static readonly string[][] Lengths = [.. Enumerable.Range(0, 64).Select(n => new[] { n.ToString(CultureInfo.InvariantCulture) })];

    /// <summary>A refusal: <paramref name="reason"/> as one line (or JSON), with <c>Allow</c> when a method was wrong.</summary>
    public static Task Refuse(IDictionary<string, object> environment, int status, string reason, bool json, string? allow = null)
    {
        if (allow is not null)
        {
            ((IDictionary<string, string[]>)environment["owin.ResponseHeaders"])["Allow"] = [allow];
        }
        return Respond(environment, status, Answer.Error(reason, json), json);
    }

    /// <summary>A 503 that tells the client when to try again; <paramref name="reason"/> says whether the request was carried out.</summary>
    public static Task Unavailable(IDictionary<string, object> environment, int retryAfterSeconds, string reason, bool json)
    {
        ((IDictionary<string, string[]>)environment["owin.ResponseHeaders"])["Retry-After"] = [retryAfterSeconds.ToString(CultureInfo.InvariantCulture)];
        return Respond(environment, 503, Answer.Error(reason, json), json);
    }

    /// <summary>The answer, with no body for a HEAD.</summary>
    public static Task Respond(IDictionary<string, object> environment, int status, byte[] body, bool json)
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

    /// <summary>The request's cancellation, which ends when the client goes away.</summary>
    public static CancellationToken CallCancelled(IDictionary<string, object> environment) =>
        environment.TryGetValue("owin.CallCancelled", out var token) && token is CancellationToken cancellation ? cancellation : CancellationToken.None;
}
