using System.Net;
using System.Net.Http.Headers;
using Mergepoints.Host.Tests.Infrastructure;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Serving;

public sealed class StaticMountTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private RunningSite _site = null!;

    public async ValueTask InitializeAsync()
    {
        _directory.Write("public/index.html", "<h1>index</h1>");
        _directory.Write("public/notes.txt", "0123456789abcdefghij");
        _directory.Write("public/.env", "SECRET=dotfile");
        _directory.Write("secret.txt", "outside the mount");
        _site = await RunningSite.StartAsync(_directory, """{"mounts": [{"path": "/files", "static": "public"}]}""");
    }

    [Fact]
    public async Task A_file_is_served_with_its_type_and_an_etag_that_gives_304_next_time()
    {
        var cancel = TestContext.Current.CancellationToken;
        using var first = await _site.Client.GetAsync("/files/notes.txt", cancel);
        using var again = new HttpRequestMessage(HttpMethod.Get, "/files/notes.txt");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var second = await _site.Client.SendAsync(again, cancel);

        Assert.Equal("0123456789abcdefghij", await first.Content.ReadAsStringAsync(cancel));
        Assert.Equal("text/plain", first.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Fact]
    public async Task A_range_request_gets_just_that_range()
    {
        var cancel = TestContext.Current.CancellationToken;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/files/notes.txt");
        request.Headers.Range = new RangeHeaderValue(10, 14);
        using var response = await _site.Client.SendAsync(request, cancel);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("abcde", await response.Content.ReadAsStringAsync(cancel));
    }

    [Fact]
    public async Task A_folder_serves_its_index_and_the_bare_prefix_redirects_to_it()
    {
        var cancel = TestContext.Current.CancellationToken;
        using var bare = await _site.Client.GetAsync("/files", cancel);

        Assert.Equal("<h1>index</h1>", await _site.Client.GetStringAsync("/files/", cancel));
        Assert.Equal(HttpStatusCode.MovedPermanently, bare.StatusCode);
        Assert.Equal("/files/", bare.Headers.Location?.AbsolutePath);
    }

    [Theory]
    [InlineData("/files/../secret.txt")]
    [InlineData("/files/%2e%2e/secret.txt")]
    [InlineData("/files/..%2fsecret.txt")]
    [InlineData("/files/%2e%2e%2fsecret.txt")]
    [InlineData("/files/.env")]
    [InlineData("/files/missing.txt")]
    public async Task Nothing_outside_the_directory_and_no_dotfile_is_served(string url)
    {
        var cancel = TestContext.Current.CancellationToken;
        // Sent raw, as a hostile client would: HttpClient would normalize the dots away first.
        using var response = await SendRawAsync(url, cancel);

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(cancel);
        Assert.DoesNotContain("outside the mount", body, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", body, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        await _site.DisposeAsync();
        _directory.Dispose();
    }

    private async Task<HttpResponseMessage> SendRawAsync(string path, CancellationToken cancel)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(_site.Url.Host, _site.Url.Port, cancel);
        await using var stream = tcp.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {_site.Url.Authority}\r\nConnection: close\r\n\r\n"), cancel);
        using var reader = new StreamReader(stream);
        var raw = await reader.ReadToEndAsync(cancel);
        var status = int.Parse(raw.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        return new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(raw[(raw.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]) };
    }
}
