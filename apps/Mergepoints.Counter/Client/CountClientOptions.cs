namespace Mergepoints.Counter.Client;

/// <summary>What a <see cref="CountClient"/> talks to and how patiently.</summary>
public sealed class CountClientOptions
{
    /// <summary>
    /// The counter servers' base URLs, a path prefix included (<c>http://host:5000/api/</c> asks
    /// <c>/api/song/{id}</c>). Every client of the same counters must list the same servers, in any order: the
    /// placement of a song depends on the whole list. It is nginx's <c>hash $key consistent</c> over the servers'
    /// <c>host:port</c>, so an nginx upstream whose <c>server</c> lines spell the same <c>host:port</c>
    /// (<c>server 127.0.0.1:7001;</c>) sends each song where this client does.
    /// </summary>
    public required IReadOnlyList<Uri> Servers { get; init; }

    /// <summary>How long one attempt may take, answer body included, before it counts as lost.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How many times a GET is sent again after a connection failure, a timeout or a 5xx (never after a 4xx, which
    /// would only come back the same). 0 to 10. POST and DELETE are never sent again.
    /// </summary>
    public int GetRetries { get; init; } = 2;

    /// <summary>The longest <see cref="RetryBackoff"/>: doubled for ten retries it is already 85 minutes of pauses.</summary>
    public static readonly TimeSpan MaxRetryBackoff = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The pause before the first retry; it doubles before each next one, giving a restarting server room.
    /// 0 to <see cref="MaxRetryBackoff"/>.
    /// </summary>
    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Headers sent with every request, name to value: the way to say who the client is where the counter asks,
    /// as it does for <see cref="CountClient.ResetAsync"/> and <see cref="CountClient.ResetSongAsync"/> (an admin's
    /// only). Behind the Mergepoints host that is an admin's session cookie,
    /// <c>["Cookie"] = "mergepoints_session=…"</c>; behind another front, whatever it reads. Checked once, when
    /// the client is made; <c>Accept</c> is the client's own.
    /// </summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// A handler to send through, so that several clients (or the rest of the app) share one connection pool. The
    /// client never disposes it. Without one the client makes its own and disposes it with itself.
    /// </summary>
    public HttpMessageHandler? Handler { get; init; }
}
