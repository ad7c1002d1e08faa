// Written here rather than on Mergepoints.Counter's CountClient: that client sends a song's reset to the one server
// its placement names, while the admin asks every counter URL it is given (each may be a host's gateway, or a
// counter that once owned the song), and reads each one's answer for the page rather than throwing.
using System.Net.Http.Headers;
using System.Text.Json;

namespace Mergepoints.Admin.Counter;

/// <summary>
/// The admin's requests to the play counter, over HTTP like any other client's: the live counts
/// (<c>GET /</c> as JSON), a song's reset (<c>DELETE /song/{id}</c>) and a flush into the database
/// (<c>POST /flush</c>), sent to every counter server. Each carries the admin's own <c>Cookie</c> header, so the
/// counter sees the admin as <c>server.User</c> and allows what only admins may do. A server that cannot be
/// reached or refuses is an answer like any other, for the page to show; nothing here throws for it.
/// </summary>
internal sealed class CounterClient(CounterServers servers) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private static readonly MediaTypeWithQualityHeaderValue Json = new("application/json");

    // The cookie is the admin's, set per request: the handler must keep no cookies of its own. No redirects: a
    // counter that sends one is not a counter.
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { Timeout = Timeout };

    /// <summary>The servers asked, as they are now.</summary>
    public IReadOnlyList<Uri> Servers => servers.Current();

    /// <summary>Every server's live counts, added up; the servers that failed are listed with why.</summary>
    public async Task<LiveCounts> ReadAsync(string? cookie, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var failures = new List<CounterAnswer>();
        var reads = Servers.Select(async server => (Server: server, Read: await ReadOneAsync(server, cookie, cancellationToken).ConfigureAwait(false)));
        foreach (var (server, (one, failure)) in await Task.WhenAll(reads).ConfigureAwait(false))
        {
            if (failure is not null)
            {
                failures.Add(failure);
                continue;
            }
            foreach (var (song, plays) in one!)
            {
                counts[song] = counts.GetValueOrDefault(song) + plays;
            }
        }
        return new LiveCounts(counts, failures);
    }

    /// <summary>Takes the song's plays off every server (the one that holds it answers with what it held).</summary>
    public Task<IReadOnlyList<CounterAnswer>> ResetSongAsync(string songId, string? cookie, CancellationToken cancellationToken) =>
        SendToAllAsync(HttpMethod.Delete, "song/" + Uri.EscapeDataString(songId), cookie, cancellationToken);

    /// <summary>Asks every server to write its plays into the database now.</summary>
    public Task<IReadOnlyList<CounterAnswer>> FlushAsync(string? cookie, CancellationToken cancellationToken) =>
        SendToAllAsync(HttpMethod.Post, "flush", cookie, cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private async Task<IReadOnlyList<CounterAnswer>> SendToAllAsync(HttpMethod method, string path, string? cookie, CancellationToken cancellationToken) =>
        await Task.WhenAll(Servers.Select(async server =>
        {
            try
            {
                using var request = Request(method, new Uri(server, path), cookie);
                using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                var text = FirstLine(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
                return response.IsSuccessStatusCode
                    ? new CounterAnswer(server, true, text)
                    : new CounterAnswer(server, false, $"answered {(int)response.StatusCode} {response.ReasonPhrase}: {text}");
            }
            catch (Exception e) when (Unreachable(e, cancellationToken))
            {
                return new CounterAnswer(server, false, Why(e));
            }
        })).ConfigureAwait(false);

    private async Task<(Dictionary<string, long>? Counts, CounterAnswer? Failure)> ReadOneAsync(Uri server, string? cookie, CancellationToken cancellationToken)
    {
        try
        {
            using var request = Request(HttpMethod.Get, server, cookie);
            request.Headers.Accept.Add(Json);
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return (null, new CounterAnswer(server, false, $"answered {(int)response.StatusCode} {response.ReasonPhrase}: {FirstLine(body)}"));
            }
            using var json = JsonDocument.Parse(body);
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var song in json.RootElement.EnumerateObject())
            {
                counts[song.Name] = song.Value.GetInt64();
            }
            return (counts, null);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return (null, new CounterAnswer(server, false, "answered with something that is not the counter's JSON ({\"song id\": plays, ...})"));
        }
        catch (Exception e) when (Unreachable(e, cancellationToken))
        {
            return (null, new CounterAnswer(server, false, Why(e)));
        }
    }

    private static HttpRequestMessage Request(HttpMethod method, Uri url, string? cookie)
    {
        var request = new HttpRequestMessage(method, url);
        if (!string.IsNullOrEmpty(cookie))
        {
            request.Headers.TryAddWithoutValidation("Cookie", cookie);
        }
        return request;
    }

    // A timeout shows as a cancellation the caller did not ask for.
    private static bool Unreachable(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested);

    private static string Why(Exception e) => e is TaskCanceledException
        ? $"did not answer within {Timeout.TotalSeconds:0} s"
        : $"could not be reached: {e.Message}";

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length > 200 ? line[..200] + "…" : line;
    }
}
