using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Mergepoints.Counter.Http;

namespace Mergepoints.Counter.Client;

/// <summary>
/// The play counter spread over several servers, seen as one: each song lives on the one server that
/// <see cref="ServerFor"/> names, so its count needs no coordination between servers; get-all and reset ask them all.
/// </summary>
/// <remarks>
/// A GET is retried (it changes nothing); a POST is sent exactly once, since a lost answer may hide a counted play.
/// After the server list changes, the songs that moved start again at zero on their new server while their old count
/// stays on the old one: <see cref="GetAsync"/> reads the owner only, <see cref="GetAllAsync"/> adds both up.
/// </remarks>
public sealed class CountClient : IDisposable
{
    private const int MaxGetRetries = 10;
    private static readonly MediaTypeWithQualityHeaderValue Json = new("application/json");

    private readonly HttpClient _http;
    private readonly NginxHashPlacement _placement;
    private readonly TimeSpan _timeout;
    private readonly int _getRetries;
    private readonly TimeSpan _retryBackoff;
    private readonly KeyValuePair<string, string>[] _headers;
    private readonly bool _ownsHttp = true;

    /// <summary>A client over <paramref name="options"/>' servers; checks the options once, here.</summary>
    public CountClient(CountClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Servers = ServerAddress.NormalizeAll(options.Servers);
        if (options.Timeout <= TimeSpan.Zero || options.Timeout.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentException($"The timeout must be positive and finite, not {options.Timeout}.", nameof(options));
        }
        if (options.GetRetries is < 0 or > MaxGetRetries || options.RetryBackoff < TimeSpan.Zero || options.RetryBackoff > CountClientOptions.MaxRetryBackoff)
        {
            // Past ten the doubling pauses add up to minutes: a caller would rather hear that the server is down.
            // A longer backoff, doubled, would overflow the pause instead of waiting.
            throw new ArgumentException(
                $"GET retries are 0 to {MaxGetRetries} and the retry backoff is 0 to {CountClientOptions.MaxRetryBackoff.TotalSeconds:0} s.", nameof(options));
        }
        _headers = CheckHeaders(options.Headers);
        _placement = new NginxHashPlacement(Servers);
        _timeout = options.Timeout;
        _getRetries = options.GetRetries;
        _retryBackoff = options.RetryBackoff;
        // Our own HttpClient even over a shared handler: its timeout is ours per attempt, never HttpClient's 100 s.
        // No redirects: a 301 to https would turn a POST into a GET that counts nothing. Pooled connections are
        // renewed every two minutes, so a server that moves to another address (DNS) is found. No cookie jar: the
        // only cookie sent is one the options' headers name, and no answer's Set-Cookie changes it.
        _http = options.Handler is null
            ? new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2), UseCookies = false })
            : new HttpClient(options.Handler, disposeHandler: false);
        _http.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
    }

    private CountClient(CountClient client, KeyValuePair<string, string>[] headers)
    {
        (Servers, _placement, _timeout, _getRetries, _retryBackoff, _http) =
            (client.Servers, client._placement, client._timeout, client._getRetries, client._retryBackoff, client._http);
        _headers = headers;
        _ownsHttp = false;
    }

    /// <summary>The servers, normalized (lower-case host, no default port, path ending in '/'), in the order given.</summary>
    public IReadOnlyList<Uri> Servers { get; }

    /// <summary>
    /// The server that owns <paramref name="songId"/>; public so that operators and tests can see where a song lives.
    /// It is the server nginx's <c>hash $song_id consistent</c> picks over the same <c>host:port</c> list.
    /// </summary>
    /// <exception cref="ArgumentException">The id is one the server would refuse.</exception>
    public Uri ServerFor(string songId) => _placement.OwnerOf(Validate(songId));

    /// <summary>The song's count on its server, 0 when never played. Retried on connection failures, timeouts and 5xx.</summary>
    /// <exception cref="ArgumentException">The id is one the server would refuse; nothing was sent.</exception>
    /// <exception cref="CountClientException">The server refused, or did not answer in any attempt.</exception>
    public Task<long> GetAsync(string songId, CancellationToken cancellationToken)
    {
        var server = ServerFor(songId);
        return SendAsync(HttpMethod.Get, server, SongUrl(server, songId), AnswerReader.Count, cancellationToken);
    }

    /// <summary>
    /// Counts one play and answers the new count. Sent exactly once: when the answer is lost the play may or may not
    /// have been counted, and the exception says so (<see cref="CountClientException.OutcomeUnknown"/>) rather than
    /// risking a second count.
    /// </summary>
    /// <exception cref="ArgumentException">The id is one the server would refuse; nothing was sent.</exception>
    /// <exception cref="CountClientException">The server refused, or the answer did not come.</exception>
    public Task<long> IncrementAsync(string songId, CancellationToken cancellationToken)
    {
        var server = ServerFor(songId);
        return SendAsync(HttpMethod.Post, server, SongUrl(server, songId), AnswerReader.Count, cancellationToken);
    }

    /// <summary>
    /// Clears one song's count on the server that owns it. Sent exactly once, like an increment: a late second DELETE
    /// could clear plays counted since the first. The counter takes this only from an admin (see
    /// <see cref="CountClientOptions.Headers"/>): anyone else gets a <see cref="CountClientException"/> with status
    /// 401 or 403.
    /// </summary>
    /// <exception cref="ArgumentException">The id is one the server would refuse; nothing was sent.</exception>
    /// <exception cref="CountClientException">The server refused, or the answer did not come (<see cref="CountClientException.OutcomeUnknown"/>).</exception>
    public async Task ResetSongAsync(string songId, CancellationToken cancellationToken)
    {
        var server = ServerFor(songId);
        await SendAsync(HttpMethod.Delete, server, SongUrl(server, songId), AnswerReader.Ok, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Every song's count, from every server at once. A song found on two servers (it moved when the server list
    /// changed) counts the sum of both.
    /// </summary>
    /// <exception cref="PartialCountsException">Some server failed; it carries what the others answered.</exception>
    public async Task<IReadOnlyDictionary<string, long>> GetAllAsync(CancellationToken cancellationToken)
    {
        var answers = await OnEveryServerAsync(HttpMethod.Get, "", AnswerReader.All, cancellationToken).ConfigureAwait(false);
        var merged = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var counts in answers.Where(answer => answer.Failure is null).Select(answer => answer.Value!))
        {
            foreach (var (id, count) in counts)
            {
                merged[id] = merged.GetValueOrDefault(id) + count;
            }
        }
        var failures = answers.Select(answer => answer.Failure).OfType<ServerFailure>().ToArray();
        return failures.Length == 0 ? merged : throw new PartialCountsException(merged, failures, Servers.Count);
    }

    /// <summary>
    /// Clears every server's counts, all at once. Never throws for a server that fails (only when cancelled): the
    /// result lists who was cleared and who was not, why. Not retried: a late second DELETE could wipe plays counted
    /// since the first. The counter takes this only from an admin (see <see cref="CountClientOptions.Headers"/>):
    /// anyone else finds every server failed with 401 or 403.
    /// </summary>
    public async Task<ResetResult> ResetAsync(CancellationToken cancellationToken)
    {
        var answers = await OnEveryServerAsync(HttpMethod.Delete, "", AnswerReader.Ok, cancellationToken).ConfigureAwait(false);
        return new ResetResult(
            answers.Where(answer => answer.Failure is null).Select(answer => answer.Server).ToArray(),
            answers.Select(answer => answer.Failure).OfType<ServerFailure>().ToArray());
    }

    /// <summary>
    /// Tells every server to write its plays into the database now (<c>POST /flush</c>), all at once; an admin's only,
    /// like a reset. Never throws for a server that fails (only when cancelled): a flush loses nothing when it fails,
    /// and the result says who flushed what. Not retried.
    /// </summary>
    public async Task<FlushResult> FlushAsync(CancellationToken cancellationToken)
    {
        var answers = await OnEveryServerAsync(HttpMethod.Post, "flush", AnswerReader.Flushed, cancellationToken).ConfigureAwait(false);
        var flushed = answers.Where(answer => answer.Failure is null).ToArray();
        return new FlushResult(
            [.. flushed.Select(answer => answer.Server)],
            [.. answers.Select(answer => answer.Failure).OfType<ServerFailure>()],
            flushed.Sum(answer => answer.Value.Songs),
            flushed.Sum(answer => answer.Value.Plays));
    }

    /// <summary>
    /// A client over the same servers, placement and connections that sends <paramref name="headers"/> instead of the
    /// options' headers: a gateway forwarding each caller's own <c>Cookie</c> makes one per request, at the cost of
    /// checking the headers, with no connection pool of its own. Use it while this client is alive; disposing it
    /// leaves the connections to this one.
    /// </summary>
    /// <exception cref="ArgumentException">A header HttpClient could not send, or an <c>Accept</c>.</exception>
    public CountClient WithHeaders(IReadOnlyDictionary<string, string> headers) => new(this, CheckHeaders(headers));

    /// <summary>Disposes the connection pool if the client made it; a handler from the options stays open.</summary>
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    /// <summary>The options' headers, each one HttpClient would send as given; an <see cref="ArgumentException"/> otherwise.</summary>
    private static KeyValuePair<string, string>[] CheckHeaders(IReadOnlyDictionary<string, string>? headers)
    {
        KeyValuePair<string, string>[] checkedHeaders = [.. headers ?? new Dictionary<string, string>()];
        using var probe = new HttpRequestMessage();
        foreach (var (name, value) in checkedHeaders)
        {
            if (name.Equals("Accept", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException("The Accept header is the client's own: it asks for JSON.", nameof(headers));
            }
            try
            {
                probe.Headers.Add(name, value);
            }
            catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException)
            {
                // A bad name, a value with a line break, or a content header on a request without content.
                throw new ArgumentException($"The header '{name}' cannot be sent: {e.Message}", nameof(headers), e);
            }
        }
        return checkedHeaders;
    }

    private static string Validate(string songId)
    {
        ArgumentNullException.ThrowIfNull(songId);
        // The server's own rule, so that a bad id costs no round trip; and dot segments, which a URL path loses on
        // the way (/song/.. is /), so they could never be addressed.
        if (!SongIdPath.TryParse(songId, out _, out var error))
        {
            throw new ArgumentException(error, nameof(songId));
        }
        return songId is "." or ".." ? throw new ArgumentException($"A song id cannot be '{songId}': a URL path drops it.", nameof(songId)) : songId;
    }

    private static Uri SongUrl(Uri server, string songId) => new(server, "song/" + Uri.EscapeDataString(songId));

    private async Task<(Uri Server, T? Value, ServerFailure? Failure)[]> OnEveryServerAsync<T>(
        HttpMethod method, string path, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        return await Task.WhenAll(Servers.Select(AskAsync)).ConfigureAwait(false);

        async Task<(Uri, T?, ServerFailure?)> AskAsync(Uri server)
        {
            try
            {
                return (server, await SendAsync(method, server, new Uri(server, path), read, cancellationToken).ConfigureAwait(false), null);
            }
            catch (CountClientException failure)
            {
                return (server, default, failure.ToFailure());
            }
        }
    }

    private async Task<T> SendAsync<T>(HttpMethod method, Uri server, Uri url, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        var attempts = method == HttpMethod.Get ? 1 + _getRetries : 1;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await AttemptAsync(method, server, url, read, attempt, cancellationToken).ConfigureAwait(false);
            }
            catch (CountClientException failure) when (attempt < attempts && (failure.StatusCode is null || (int)failure.StatusCode >= 500))
            {
                await Task.Delay(_retryBackoff * Math.Pow(2, attempt - 1), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<T> AttemptAsync<T>(HttpMethod method, Uri server, Uri url, Func<JsonElement, T> read, int attempt, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            using var request = new HttpRequestMessage(method, url);
            // JSON, not the plain text: "1=1,5=2" is ambiguous for ids that hold ',' or '='.
            request.Headers.Accept.Add(Json);
            foreach (var (name, value) in _headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
            using var response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new CountClientException(method, url, server, response.StatusCode, AnswerReader.Reason(body, response), attempt);
            }
            try
            {
                using var json = JsonDocument.Parse(body);
                return read(json.RootElement);
            }
            catch (Exception e) when (e is JsonException or FormatException)
            {
                throw new CountClientException(method, url, server, response.StatusCode, "the answer is not a counter's; is the URL's path prefix right?", attempt);
            }
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            var seconds = _timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            throw new CountClientException(method, url, server, $"no answer within {seconds} s", reachedServer: true, attempt, e);
        }
        catch (HttpRequestException e)
        {
            // Only a connection that was never made is sure not to have carried the request.
            var reached = e.HttpRequestError is not (HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError);
            throw new CountClientException(method, url, server, e.Message, reached, attempt, e);
        }
    }
}
