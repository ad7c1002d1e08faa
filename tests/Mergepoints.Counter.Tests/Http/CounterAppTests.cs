using System.Net;
using System.Net.Http.Headers;
using Mergepoints.Counter.Storage;
using Mergepoints.Testing;

namespace Mergepoints.Counter.Tests.Http;

public sealed class CounterAppTests : IAsyncLifetime
{
    private const string Ambiguous = "A song id cannot contain '%' followed by two hex digits: nginx and the counter would read it as different songs.";

    private readonly TempDirectory _directory = new();
    private CounterServer _server = null!;

    private HttpClient Client => _server.Client;

    public async ValueTask InitializeAsync() => _server = await CounterServer.StartAsync(_directory.Path);

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task The_original_session_gives_the_original_answers()
    {
        Assert.Equal("0", await SendAsync(HttpMethod.Get, "/song/1"));
        Assert.Equal("1", await SendAsync(HttpMethod.Post, "/song/1"));
        Assert.Equal("1", await SendAsync(HttpMethod.Get, "/song/1"));
        Assert.Equal("1", await SendAsync(HttpMethod.Post, "/song/5"));
        Assert.Equal("2", await SendAsync(HttpMethod.Post, "/song/5"));
        Assert.Equal("1=1,5=2", await SendAsync(HttpMethod.Get, "/"));
        // Only the reset is an admin's now: anyone could wipe every count in the original.
        Assert.Equal("OK", await SendAsync(HttpMethod.Delete, "/", user: HeaderUser.Admin));
        Assert.Equal("", await SendAsync(HttpMethod.Get, "/"));
        Assert.Equal("0", await SendAsync(HttpMethod.Get, "/song/5"));
    }

    [Fact]
    public async Task Plain_answers_are_text_that_no_cache_keeps()
    {
        using var response = await Client.GetAsync(new Uri("/song/1", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task Accept_json_gives_json_for_a_song_for_all_songs_and_for_a_reset()
    {
        await SendAsync(HttpMethod.Post, "/song/1");
        await SendAsync(HttpMethod.Post, "/song/5");

        Assert.Equal("""{"id":"5","count":2}""", await SendAsync(HttpMethod.Post, "/song/5", "application/json"));
        Assert.Equal("""{"id":"7","count":0}""", await SendAsync(HttpMethod.Get, "/song/7", "application/json"));
        Assert.Equal("""{"1":1,"5":2}""", await SendAsync(HttpMethod.Get, "/", "text/html, application/json;q=0.9"));
        Assert.Equal("""{"ok":true}""", await SendAsync(HttpMethod.Delete, "/", "application/json", user: HeaderUser.Admin));
        Assert.Equal("{}", await SendAsync(HttpMethod.Get, "/", "application/json"));
    }

    [Theory]
    [InlineData("*/*")]
    [InlineData("text/plain, application/json;q=0.5")]
    [InlineData("application/json;q=0")]
    [InlineData("application/json;q=0.5, text/*")]
    [InlineData("application/json;q=Infinity")]
    [InlineData("application/json;q=")]
    [InlineData("text/html")]
    public async Task Accept_that_does_not_prefer_json_keeps_plain_text(string accept) =>
        Assert.Equal("0", await SendAsync(HttpMethod.Get, "/song/1", accept));

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/*")]
    [InlineData("text/*;q=0.1, application/json")]
    [InlineData("text/plain, application/json")]
    [InlineData("*/*;q=0.8, application/json")]
    public async Task Accept_that_prefers_json_gets_json(string accept) =>
        Assert.Equal("""{"id":"1","count":0}""", await SendAsync(HttpMethod.Get, "/song/1", accept));

    [Fact]
    public async Task Ids_are_taken_as_sent_unicode_and_escapes_included()
    {
        Assert.Equal("1", await SendAsync(HttpMethod.Post, "/song/caf%C3%A9"));
        Assert.Equal("1", await SendAsync(HttpMethod.Post, "/song/a%20b"));

        Assert.Equal("""{"a b":1,"café":1}""", await SendAsync(HttpMethod.Get, "/", "application/json"));
    }

    [Fact]
    public async Task A_json_id_with_quotes_is_escaped()
    {
        await SendAsync(HttpMethod.Post, "/song/%22x%22");

        Assert.Equal("""{"\u0022x\u0022":1}""", await SendAsync(HttpMethod.Get, "/", "application/json"));
    }

    [Theory]
    [InlineData("/song/", "The song id is empty.")]
    [InlineData("/song/a/b", "A song id cannot contain '/'.")]
    [InlineData("/song/a%2Fb", "A song id cannot contain '/'.")]
    [InlineData("/song/%FF", Ambiguous)]
    [InlineData("/song/%25FF", Ambiguous)]
    [InlineData("/song/a%fe%ffb", Ambiguous)]
    [InlineData("/song/100%2541", Ambiguous)]
    public async Task Bad_ids_are_refused_with_the_reason(string path, string reason)
    {
        using var response = await Client.PostAsync(new Uri(path, UriKind.Relative), null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(reason + "\n", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Empty(_server.Counts.All());
    }

    [Theory]
    [InlineData("/song/100%25", "100%")]
    [InlineData("/song/50%25%20off", "50% off")]
    [InlineData("/song/%25zz", "%zz")]
    public async Task A_percent_sign_that_cannot_be_read_as_an_escape_is_part_of_the_id(string path, string id)
    {
        Assert.Equal("1", await SendAsync(HttpMethod.Post, path));

        Assert.Equal(1, _server.Counts.Get(id));
    }

    [Fact]
    public async Task An_id_of_128_bytes_is_counted_and_one_of_129_is_refused()
    {
        var longest = new string('é', 64);
        Assert.Equal("1", await SendAsync(HttpMethod.Post, "/song/" + Uri.EscapeDataString(longest)));

        using var response = await Client.PostAsync(new Uri("/song/" + Uri.EscapeDataString(longest + "x"), UriKind.Relative), null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("A song id is at most 128 bytes of UTF-8.\n", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_bad_id_asked_for_in_json_gets_a_json_error()
    {
        Assert.Equal("""{"error":"The song id is empty."}""", await SendAsync(HttpMethod.Get, "/song/", "application/json", HttpStatusCode.BadRequest));
    }

    [Theory]
    [InlineData("PUT", "/song/1", "GET, HEAD, POST, DELETE")]
    [InlineData("PATCH", "/song/1", "GET, HEAD, POST, DELETE")]
    [InlineData("POST", "/", "GET, HEAD, DELETE")]
    [InlineData("PATCH", "", "GET, HEAD, DELETE")]
    public async Task Other_methods_get_405_with_allow(string method, string path, string allow)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        using var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow));
        Assert.Empty(_server.Counts.All());
    }

    [Theory]
    [InlineData("/songs/1")]
    [InlineData("/song")]
    [InlineData("/nothing")]
    public async Task Other_paths_get_404(string path) =>
        Assert.StartsWith("Not found", await SendAsync(HttpMethod.Get, path, expected: HttpStatusCode.NotFound));

    [Fact]
    public async Task Head_answers_the_headers_of_get_without_a_body()
    {
        await SendAsync(HttpMethod.Post, "/song/1");

        // HttpClient never reads a HEAD body, so ask on a raw socket and see everything that comes back.
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(_server.Url.Host, _server.Url.Port, TestContext.Current.CancellationToken);
        var stream = socket.GetStream();
        await stream.WriteAsync("HEAD /song/1 HTTP/1.1\r\nHost: counter\r\nConnection: close\r\n\r\n"u8.ToArray(), TestContext.Current.CancellationToken);
        using var reader = new StreamReader(stream);
        var response = await reader.ReadToEndAsync(TestContext.Current.CancellationToken);

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", response, StringComparison.Ordinal);
        Assert.Contains("Content-Length: 1\r\n", response, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_counter_that_is_closing_answers_503_and_says_the_outcome_is_unknown()
    {
        await _server.Counts.DisposeAsync();

        using var response = await Client.PostAsync(new Uri("/song/1", UriKind.Relative), null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.Equal("The counter is shutting down; this play may or may not have been counted. Try again later.\n",
            await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Acknowledged_posts_survive_a_restart()
    {
        await SendAsync(HttpMethod.Post, "/song/1");
        await SendAsync(HttpMethod.Post, "/song/1");
        await _server.DisposeAsync();

        _server = await CounterServer.StartAsync(_directory.Path);

        Assert.Equal("2", await SendAsync(HttpMethod.Get, "/song/1"));
    }

    private async Task<string> SendAsync(HttpMethod method, string path, string? accept = null, HttpStatusCode expected = HttpStatusCode.OK, string? user = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        if (user is not null)
        {
            request.Headers.Add(HeaderUser.Header, user);
        }
        using var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }
}
