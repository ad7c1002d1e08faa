using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Mash;

/// <summary>
/// Mash forms this site's page never sends, and bodies past the limit: each a 4xx page that says what was wrong,
/// never a 500, never a reset connection where the client could have read the answer.
/// </summary>
public sealed class MashFormTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_multipart_type_without_a_boundary_is_a_400()
    {
        await using var site = await MashSites.StartAsync(_directory);
        using var ann = await MashVisitor.SignedUpAsync(site, "ann");
        using var body = new StringContent("--x--");
        body.Headers.ContentType = new MediaTypeHeaderValue("multipart/form-data");

        using var response = await ann.Client.PostAsync("/mashes", body, Cancel);

        await AssertPageAsync(response, HttpStatusCode.BadRequest, "The form's multipart boundary is missing or too long.");
    }

    [Fact]
    public async Task A_form_that_is_not_multipart_is_a_415()
    {
        await using var site = await MashSites.StartAsync(_directory);
        using var ann = await MashVisitor.SignedUpAsync(site, "ann");

        using var response = await ann.Client.PostAsync("/mashes", new FormUrlEncodedContent([new("mix", "0.5")]), Cancel);

        await AssertPageAsync(response, HttpStatusCode.UnsupportedMediaType, "Send the mash form as multipart/form-data");
    }

    [Fact]
    public async Task A_part_without_a_name_is_a_400()
    {
        using var response = await PostFormAsync(form =>
        {
            var nameless = new StringContent("0.5");
            nameless.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data");
            form.Add(nameless);
        });

        await AssertPageAsync(response, HttpStatusCode.BadRequest, "A part of the form has no form-data name");
    }

    [Fact]
    public async Task A_field_over_8_KB_is_a_400()
    {
        using var response = await PostFormAsync(form => form.Add(new StringContent(new string('9', 9000)), "mix"));

        await AssertPageAsync(response, HttpStatusCode.BadRequest, "The field mix is longer than 8192 bytes.");
    }

    [Fact]
    public async Task A_form_of_more_than_32_parts_is_a_400()
    {
        using var response = await PostFormAsync(form =>
        {
            for (var i = 0; i < 32; i++)
            {
                form.Add(new StringContent("x"), $"field{i}");
            }
        });

        await AssertPageAsync(response, HttpStatusCode.BadRequest, "The form has more than 32 parts");
    }

    [Fact]
    public async Task Two_files_for_one_song_are_a_400()
    {
        await using var site = await MashSites.StartAsync(_directory);
        using var ann = await MashVisitor.SignedUpAsync(site, "ann");

        using var response = await ann.MashAsync([("fileA", "one.wav", TestSongs.A), ("fileA", "two.wav", TestSongs.B), ("fileB", "b.wav", TestSongs.B)], MashVisitor.DefaultSettings);

        await AssertPageAsync(response, HttpStatusCode.BadRequest, "One file per song");
        Assert.DoesNotContain("<h2>two</h2>", await ann.GetStringAsync("/songs"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chunked_body_past_what_the_form_may_carry_is_a_readable_413()
    {
        await using var site = await MashSites.StartAsync(_directory, settings: new Dictionary<string, string?> { ["Mash:MaxUploadBytes"] = "100000" });
        using var ann = await MashVisitor.SignedUpAsync(site, "ann");
        using var form = await FormWithTokenAsync(ann);
        // Not a song's field, so the library never reads it: only the form's own limit (twice 100000 + 1 MB) stops it.
        form.Add(new ByteArrayContent(new byte[1_500_000]), "attachment", "big.bin");

        using var response = await ann.Client.PostAsync("/mashes", new UnknownLength(form), Cancel);

        await AssertPageAsync(response, HttpStatusCode.RequestEntityTooLarge, "The upload is too large");
    }

    [Fact]
    public async Task A_declared_length_past_Kestrels_own_limit_is_read_away_and_answered_with_a_readable_413()
    {
        // Kestrel lets 1 MB through; a form may carry twice 8 MB + 1 MB; this body declares 30 MB and sends them all.
        await using var site = await MashSites.StartAsync(_directory, settings: new Dictionary<string, string?>
        {
            ["Mash:MaxUploadBytes"] = "8388608",
            ["Kestrel:Limits:MaxRequestBodySize"] = "1000000",
        });
        using var ann = await MashVisitor.SignedUpAsync(site, "ann");
        using var form = await FormWithTokenAsync(ann);
        form.Add(new ByteArrayContent(new byte[30_000_000]), "fileA", "huge.wav");

        // Without reading the body away the server would close the connection while this is still sending: a reset.
        using var response = await ann.Client.PostAsync("/mashes", form, Cancel);

        await AssertPageAsync(response, HttpStatusCode.RequestEntityTooLarge, "The upload is too large");
    }

    [Fact]
    public async Task A_declared_length_far_past_the_limit_is_refused_without_reading_the_body()
    {
        await using var site = await MashSites.StartAsync(_directory, settings: new Dictionary<string, string?> { ["Mash:MaxUploadBytes"] = "100000" });
        using var ann = await MashVisitor.SignedUpAsync(site, "ann");

        var status = await FirstStatusLineAsync(site.Url, "/mashes", contentLength: 50_000_000, ann.Browser.Cookies.GetCookieHeader(site.Url));

        Assert.Equal("HTTP/1.1 413 Payload Too Large", status);
    }

    [Fact]
    public async Task An_anonymous_upload_is_refused_without_reading_the_body()
    {
        await using var site = await MashSites.StartAsync(_directory);

        var status = await FirstStatusLineAsync(site.Url, "/mashes", contentLength: 50_000_000, cookies: "");

        Assert.Equal("HTTP/1.1 401 Unauthorized", status);
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>
    /// Sends a POST's headers only, with <c>Expect: 100-continue</c>, and returns the first status line: Kestrel
    /// answers "100 Continue" as soon as the app reads the body, so any other status means not a byte was asked for.
    /// </summary>
    private static async Task<string> FirstStatusLineAsync(Uri site, string path, long contentLength, string cookies)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(site.Host, site.Port, Cancel);
        var stream = client.GetStream();
        var request = $"POST {path} HTTP/1.1\r\nHost: {site.Authority}\r\nContent-Type: multipart/form-data; boundary=b\r\n"
            + $"Content-Length: {contentLength}\r\nExpect: 100-continue\r\n{(cookies.Length > 0 ? $"Cookie: {cookies}\r\n" : "")}\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), Cancel);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadLineAsync(Cancel) ?? "";
    }

    /// <summary>Ann's mash form on a site of its own: her token, then whatever <paramref name="fill"/> adds.</summary>
    private async Task<HttpResponseMessage> PostFormAsync(Action<MultipartFormDataContent> fill)
    {
        await using var site = await MashSites.StartAsync(_directory);
        using var ann = await MashVisitor.SignedUpAsync(site, "ann");
        using var form = await FormWithTokenAsync(ann);
        fill(form);
        return await ann.Client.PostAsync("/mashes", form, Cancel);
    }

    private static async Task<MultipartFormDataContent> FormWithTokenAsync(MashVisitor visitor) => new()
    {
        { new StringContent(Infrastructure.Browser.TokenOf(await visitor.GetStringAsync("/"), "/")), "__RequestVerificationToken" },
    };

    private static async Task AssertPageAsync(HttpResponseMessage response, HttpStatusCode status, string says)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(says, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Cancel)), StringComparison.Ordinal);
    }

    /// <summary>A body sent chunked, as a client sends one whose length it does not know up front.</summary>
    private sealed class UnknownLength : HttpContent
    {
        private readonly HttpContent _inner;

        public UnknownLength(HttpContent inner)
        {
            _inner = inner;
            Headers.ContentType = inner.Headers.ContentType;
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => _inner.CopyToAsync(stream);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
