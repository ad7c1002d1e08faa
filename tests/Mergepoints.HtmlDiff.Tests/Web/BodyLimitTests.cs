using System.Net;
using System.Net.Sockets;
using System.Text;
using Mergepoints.HtmlDiff.Web;
using Mergepoints.Testing;

namespace Mergepoints.HtmlDiff.Tests.Web;

public sealed class BodyLimitTests
{
    private const int Limit = 1000;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_declared_body_over_the_limit_is_413_saying_the_limit()
    {
        await using var site = await KestrelSite.StartAsync(DiffApp.Create(new DiffAppOptions { MaxBodyBytes = Limit }));

        using var response = await site.Client.PostAsync("/", FormOfLength(Limit + 1), Cancel);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("the request body is over the limit of 1000 bytes\n", await response.Content.ReadAsStringAsync(Cancel));
    }

    [Fact]
    public async Task A_body_of_exactly_the_limit_is_read()
    {
        await using var site = await KestrelSite.StartAsync(DiffApp.Create(new DiffAppOptions { MaxBodyBytes = Limit }));

        using var response = await site.Client.PostAsync("/", FormOfLength(Limit), Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_chunked_body_is_answered_413_as_soon_as_it_passes_the_limit_while_the_client_is_still_sending()
    {
        await using var site = await KestrelSite.StartAsync(DiffApp.Create(new DiffAppOptions { MaxBodyBytes = Limit }));
        // The server must answer while the body is still open: a server that waited for its end would time out here.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        using var client = new TcpClient();
        await client.ConnectAsync(site.Url.Host, site.Url.Port, timeout.Token);
        var stream = client.GetStream();

        // Headers and one chunk just past the limit; the body never ends.
        var chunk = new string('a', Limit + 1);
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST / HTTP/1.1\r\nHost: {site.Url.Authority}\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n{chunk.Length:x}\r\n{chunk}\r\n"), timeout.Token);
        var answer = new StringBuilder();
        var buffer = new byte[4096];
        while (!answer.ToString().Contains("over the limit", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            Assert.NotEqual(0, read);
            answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        Assert.StartsWith("HTTP/1.1 413 ", answer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_default_limit_is_10_MiB_and_one_byte_more_is_413()
    {
        await using var site = await KestrelSite.StartAsync(DiffApp.Create(new DiffAppOptions()));

        using var response = await site.Client.PostAsync("/", FormOfLength(10 * 1024 * 1024 + 1), Cancel);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("the request body is over the limit of 10 MiB\n", await response.Content.ReadAsStringAsync(Cancel));
    }

    /// <summary>A form with both documents that is exactly <paramref name="length"/> bytes long.</summary>
    private static ByteArrayContent FormOfLength(int length)
    {
        const string Prefix = "old=%3Cp%3Ea%3C%2Fp%3E&new=";
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(Prefix + new string('b', length - Prefix.Length)));
        content.Headers.ContentType = new("application/x-www-form-urlencoded");
        return content;
    }
}
