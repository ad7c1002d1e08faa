using System.Net;

namespace Mergepoints.Counter.Client;

/// <summary>
/// A counter server refused a request or did not answer it. Carries which server, the HTTP status when there was
/// an answer, and the server's one-line reason (or what went wrong on the way), so a caller can log one line.
/// </summary>
public sealed class CountClientException : Exception
{
    /// <summary>An answer with a status that is not a success, or a success that is not a counter's answer.</summary>
    internal CountClientException(HttpMethod method, Uri url, Uri server, HttpStatusCode status, string reason, int attempts)
        : base(Describe(method, url, $"{(int)status} {reason}", attempts))
    {
        Server = server;
        StatusCode = status;
        Reason = reason;
        // A 5xx may come from a proxy that lost the counter's answer: the request may have been carried out.
        OutcomeUnknown = method != HttpMethod.Get && (int)status >= 500;
    }

    /// <summary>No answer: the connection failed or the time ran out.</summary>
    internal CountClientException(HttpMethod method, Uri url, Uri server, string reason, bool reachedServer, int attempts, Exception inner)
        : base(Describe(method, url, reason, attempts) + (method == HttpMethod.Post && reachedServer ? UnknownPost : ""), inner)
    {
        Server = server;
        Reason = reason;
        OutcomeUnknown = method != HttpMethod.Get && reachedServer;
    }

    private const string UnknownPost = " The play may or may not have been counted; it was not sent again, since a second POST could count it twice.";

    /// <summary>The base URL of the server that failed.</summary>
    public Uri Server { get; }

    /// <summary>The status the server answered with; null when no answer came.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The server's one-line reason, or what went wrong on the way (refused connection, timeout).</summary>
    public string Reason { get; }

    /// <summary>
    /// True when a POST or DELETE was sent but its answer was lost (timeout, dropped connection, 5xx): the server may
    /// have carried it out. A play counted this way is not sent again, since a second POST could count it twice.
    /// </summary>
    public bool OutcomeUnknown { get; }

    /// <summary>The failure as a line in a <see cref="ResetResult"/> or a <see cref="PartialCountsException"/>.</summary>
    internal ServerFailure ToFailure() => new(Server, StatusCode, Reason);

    private static string Describe(HttpMethod method, Uri url, string what, int attempts) =>
        $"{method} {url}: {what.TrimEnd('.')}{(attempts > 1 ? $" (after {attempts} attempts)" : "")}.";
}
