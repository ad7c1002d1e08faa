using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Mergepoints.Host.Tests.Infrastructure;
using Mergepoints.Host.Tests.Mash;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Nginx;

/// <summary>MonsterMash through the repository's nginx.conf: songs sent by nginx, live progress, uploads, compression.</summary>
public sealed class NginxMashTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_finished_mash_is_sent_by_nginx_after_the_host_answered_with_headers_only()
    {
        await using var site = await FrontedSite.StartMashAsync(_directory);
        using var ann = await site.SignedUpAsync("ann");
        var done = await FinishedMashAsync(ann);
        var audioUrl = done.GetProperty("audioUrl").GetString()!;
        var downloadUrl = done.GetProperty("downloadUrl").GetString()!;

        // What nginx gets from the host: the headers, the redirect to its internal location, and no bytes.
        using var fromHost = new HttpRequestMessage(HttpMethod.Get, audioUrl) { Headers = { { "X-Sendfile-Type", "X-Accel-Redirect" } } };
        using var hostAnswer = await site.Host.Client.SendAsync(fromHost, Cancel);
        var redirect = Assert.Single(hostAnswer.Headers.GetValues("X-Accel-Redirect"));
        Assert.Matches("^/_mergepoints/blobs/[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}$", redirect);
        Assert.Empty(await hostAnswer.Content.ReadAsByteArrayAsync(Cancel));
        var file = await File.ReadAllBytesAsync(Path.Combine(_directory.Path, "data", "blobs", redirect["/_mergepoints/blobs/".Length..]), Cancel);

        using var audio = await site.Nginx.Client.GetAsync(audioUrl, Cancel);
        using var download = await site.Nginx.Client.GetAsync(downloadUrl, Cancel);
        using var range = await site.Nginx.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, audioUrl) { Headers = { Range = new RangeHeaderValue(100, 199) } }, Cancel);
        using var again = await site.Nginx.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, audioUrl) { Headers = { IfNoneMatch = { audio.Headers.ETag! } } }, Cancel);

        Assert.Equal(HttpStatusCode.OK, audio.StatusCode);
        Assert.Equal(file, await audio.Content.ReadAsByteArrayAsync(Cancel));
        Assert.False(audio.Headers.Contains("X-Accel-Redirect"));
        Assert.Equal("audio/wav", audio.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(audio.Headers.ETag);
        Assert.Equal(hostAnswer.Headers.CacheControl, audio.Headers.CacheControl);
        Assert.Equal(file, await download.Content.ReadAsByteArrayAsync(Cancel));
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.EndsWith(".wav", download.Content.Headers.ContentDisposition?.FileNameStar, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.PartialContent, range.StatusCode);
        Assert.Equal(file[100..200], await range.Content.ReadAsByteArrayAsync(Cancel));
        Assert.Equal($"bytes 100-199/{file.Length}", range.Content.Headers.ContentRange?.ToString());
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
    }

    [Fact]
    public async Task A_song_sent_by_nginx_keeps_every_security_header_and_cannot_run_anything()
    {
        await using var site = await FrontedSite.StartMashAsync(_directory);
        using var ann = await site.SignedUpAsync("ann");
        var done = await FinishedMashAsync(ann);

        // nginx copies only a few of the host's headers to the file's answer: the rest are nginx's own, once each.
        foreach (var url in (string[])[done.GetProperty("audioUrl").GetString()!, done.GetProperty("downloadUrl").GetString()!])
        {
            using var song = await site.Nginx.Client.GetAsync(url, Cancel);

            Assert.Equal(HttpStatusCode.OK, song.StatusCode);
            Assert.False(song.Headers.Contains("Server-Timing"), $"{url} was not sent by nginx");
            Assert.Equal(["nosniff"], song.Headers.GetValues("X-Content-Type-Options"));
            Assert.Equal(["same-origin"], song.Headers.GetValues("Referrer-Policy"));
            Assert.Equal(["DENY"], song.Headers.GetValues("X-Frame-Options"));
            Assert.Contains("microphone=()", Assert.Single(song.Headers.GetValues("Permissions-Policy")), StringComparison.Ordinal);
            Assert.Equal(["default-src 'none'; sandbox"], song.Headers.GetValues("Content-Security-Policy"));
        }
    }

    [Fact]
    public async Task A_song_whose_file_is_gone_is_still_the_hosts_404_page_through_nginx()
    {
        await using var site = await FrontedSite.StartMashAsync(_directory);
        using var ann = await site.SignedUpAsync("ann");
        var audioUrl = (await FinishedMashAsync(ann)).GetProperty("audioUrl").GetString()!;
        MashSites.DeleteSongFiles(_directory);

        using var response = await site.Nginx.Client.GetAsync(audioUrl, Cancel);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no longer on the server", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.True(response.Headers.Contains("Server-Timing"), "every answer of the host carries its Server-Timing");
    }

    [Fact]
    public async Task Nobody_reaches_the_blob_location_by_its_address()
    {
        await using var site = await FrontedSite.StartMashAsync(_directory);
        using var ann = await site.SignedUpAsync("ann");
        using var hostAnswer = await site.Host.Client.SendAsync(
            new HttpRequestMessage(HttpMethod.Get, (await FinishedMashAsync(ann)).GetProperty("audioUrl").GetString()) { Headers = { { "X-Sendfile-Type", "X-Accel-Redirect" } } }, Cancel);

        using var response = await site.Nginx.Client.GetAsync(Assert.Single(hostAnswer.Headers.GetValues("X-Accel-Redirect")), Cancel);

        // nginx's own 404 (the location is internal): the request never reached the host, whose every answer
        // carries a Server-Timing, and the file was not opened.
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(response.Headers.Contains("Server-Timing"), "the host answered: the request got past nginx");
        Assert.DoesNotContain("RIFF", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_arrives_through_nginx_event_by_event_before_the_mash_ends()
    {
        await using var site = await FrontedSite.StartMashAsync(_directory, new Dictionary<string, string?> { ["Jobs:InProcess"] = "false" });
        using var ann = await site.SignedUpAsync("ann");
        var mashId = await ann.MashAsync(TestSongs.OfLength(seconds: 20), TestSongs.B);
        using var stream = await EventStreamReader.OpenAsync(ann.Client, $"/mashes/{mashId}/events", Cancel);

        // Read through nginx before any worker exists: nginx passed it on at once, it did not gather events.
        var queued = await stream.NextAsync(Cancel);
        await using var worker = await HostProcess.StartWorkerAsync(Path.Combine(_directory.Path, "data"), workers: 1, new Dictionary<string, string> { ["Jobs__PollMilliseconds"] = "100" });
        var rest = await stream.ReadToEndAsync(Cancel);

        Assert.Equal("progress", queued?.Event);
        Assert.Equal("queued", Json(queued!.Value.Data).GetProperty("status").GetString());
        Assert.Contains(rest, e => e.Event == "progress" && Json(e.Data).GetProperty("status").GetString() == "running");
        Assert.Equal("done", rest[^1].Event);
    }

    [Fact]
    public async Task A_body_over_101_MB_is_refused_by_nginx_with_a_readable_page()
    {
        await using var site = await FrontedSite.StartMashAsync(_directory);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/mashes") { Content = new ZeroContent(102 * 1024 * 1024) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("multipart/form-data") { Parameters = { new NameValueHeaderValue("boundary", "x") } };
        using var response = await site.Nginx.Client.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("at most 101 MB for any request", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Server-Timing"), "nginx refused it itself");
    }

    [Fact]
    public async Task A_60_MB_song_streams_through_nginx_to_the_host_which_answers_its_own_413_page()
    {
        await using var site = await FrontedSite.StartMashAsync(_directory);
        using var ann = await site.SignedUpAsync("ann");

        // A WAV's header, then silence: audio as far as the host reads before the size stops it.
        var big = new byte[60 * 1000 * 1000];
        TestSongs.A.AsSpan(0, 44).CopyTo(big);
        using var response = await ann.MashAsync([("fileA", "big.wav", big), ("fileB", "b.wav", TestSongs.B)], MashVisitor.DefaultSettings);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync(Cancel);
        Assert.Contains("id=\"form-error\"", page, StringComparison.Ordinal);
        Assert.Contains("big.wav", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_come_compressed_and_with_the_security_headers_once()
    {
        await using var site = await FrontedSite.StartMashAsync(_directory);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/about") { Headers = { AcceptEncoding = { new StringWithQualityHeaderValue("gzip") } } };
        using var page = await site.Nginx.Client.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(["gzip"], page.Content.Headers.ContentEncoding);
        Assert.Equal(["nginx"], page.Headers.GetValues("Server"));
        // The host's own choice stands, once; what it did not say, nginx adds.
        Assert.Equal(["nosniff"], page.Headers.GetValues("X-Content-Type-Options"));
        Assert.Equal(["same-origin"], page.Headers.GetValues("Referrer-Policy"));
        Assert.False(page.Headers.Contains("X-Frame-Options"), "the page's CSP says frame-ancestors already");
        Assert.Single(page.Headers.GetValues("Permissions-Policy"));
    }

    [Fact]
    public async Task An_app_that_sends_no_security_headers_gets_them_from_nginx()
    {
        await using var site = await FrontedSite.StartMashAsync(_directory);

        using var counts = await site.Nginx.Client.GetAsync("/api/", Cancel);

        Assert.Equal(HttpStatusCode.OK, counts.StatusCode);
        Assert.Equal(["nosniff"], counts.Headers.GetValues("X-Content-Type-Options"));
        Assert.Equal(["same-origin"], counts.Headers.GetValues("Referrer-Policy"));
        Assert.Equal(["DENY"], counts.Headers.GetValues("X-Frame-Options"));
        Assert.Contains("microphone=()", Assert.Single(counts.Headers.GetValues("Permissions-Policy")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_hosts_year_long_policy_for_its_stylesheet_is_kept()
    {
        await using var site = await FrontedSite.StartMashAsync(_directory);
        var stylesheet = System.Text.RegularExpressions.Regex.Match(await site.Nginx.Client.GetStringAsync("/about", Cancel), "/assets/mash\\.css\\?v=[0-9a-f]+").Value;

        using var current = await site.Nginx.Client.GetAsync(stylesheet, Cancel);
        using var unversioned = await site.Nginx.Client.GetAsync("/assets/mash.css", Cancel);

        Assert.Equal("public, max-age=31536000, immutable", current.Headers.CacheControl?.ToString());
        Assert.Equal("no-cache", unversioned.Headers.CacheControl?.ToString());
    }

    public void Dispose() => _directory.Dispose();

    private static async Task<JsonElement> FinishedMashAsync(MashVisitor visitor)
    {
        var mashId = await visitor.MashAsync(TestSongs.A, TestSongs.B);
        var events = await EventStreamReader.ReadAllAsync(visitor.Client, $"/mashes/{mashId}/events", Cancel);
        Assert.Equal("done", events[^1].Event);
        return Json(events[^1].Data);
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    /// <summary>A body of zeros that declares its length up front, as a browser's upload does.</summary>
    private sealed class ZeroContent(long length) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var zeros = new byte[64 * 1024];
            for (var left = length; left > 0; left -= zeros.Length)
            {
                await stream.WriteAsync(zeros.AsMemory(0, (int)Math.Min(zeros.Length, left)));
            }
        }

        protected override bool TryComputeLength(out long length1)
        {
            length1 = length;
            return true;
        }
    }
}
