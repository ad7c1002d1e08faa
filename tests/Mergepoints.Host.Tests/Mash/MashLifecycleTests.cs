using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Mash;

public sealed partial class MashLifecycleTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_uploads_become_a_mash_whose_audio_plays_in_ranges_and_downloads_with_a_name()
    {
        await using var site = await MashSites.StartAsync(_directory);
        using var ann = await MashVisitor.SignedUpAsync(site, "ann");

        using var submitted = await ann.MashAsync([("fileA", "Monster Song.wav", TestSongs.A), ("fileB", "b.wav", TestSongs.B)], MashVisitor.DefaultSettings);
        Assert.Equal(HttpStatusCode.SeeOther, submitted.StatusCode);
        var mashId = MashVisitor.MashId(submitted.Headers.Location!.OriginalString);
        var page = await ann.GetStringAsync($"/mashes/{mashId}");
        Assert.Contains("id=\"mash-progress\"", page, StringComparison.Ordinal);

        using var status = JsonDocument.Parse(await ann.WaitUntilFinishedAsync(mashId));
        Assert.Equal("done", status.RootElement.GetProperty("status").GetString());
        Assert.Equal(100, status.RootElement.GetProperty("percent").GetInt32());
        var audioUrl = status.RootElement.GetProperty("audioUrl").GetString()!;

        using var range = new HttpRequestMessage(HttpMethod.Get, audioUrl) { Headers = { Range = new RangeHeaderValue(0, 99) } };
        using var audio = await ann.Client.SendAsync(range, Cancel);
        Assert.Equal(HttpStatusCode.PartialContent, audio.StatusCode);
        Assert.Equal("audio/wav", audio.Content.Headers.ContentType?.MediaType);
        Assert.Equal(100, (await audio.Content.ReadAsByteArrayAsync(Cancel)).Length);
        Assert.NotNull(audio.Headers.ETag);
        Assert.Contains("immutable", audio.Headers.CacheControl?.ToString(), StringComparison.Ordinal);

        using var head = await ann.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, audioUrl), Cancel);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.True(head.Content.Headers.ContentLength > 100, $"HEAD says {head.Content.Headers.ContentLength} bytes");

        using var download = await ann.GetAsync($"/mashes/{mashId}/download");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        var disposition = download.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.EndsWith(".wav", disposition.FileNameStar ?? disposition.FileName?.Trim('"'), StringComparison.Ordinal);
        Assert.StartsWith("RIFF", System.Text.Encoding.ASCII.GetString(await download.Content.ReadAsByteArrayAsync(Cancel), 0, 4), StringComparison.Ordinal);

        var done = await ann.GetStringAsync($"/mashes/{mashId}");
        Assert.Contains("id=\"mash-audio\"", done, StringComparison.Ordinal);
        Assert.Contains("id=\"mash-download\"", done, StringComparison.Ordinal);
        Assert.Contains("id=\"resubmit-form\"", done, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_event_stream_shows_progress_that_only_rises_and_ends_with_done()
    {
        await using var site = await MashSites.StartAsync(_directory);
        using var ann = await MashVisitor.SignedUpAsync(site, "ann");
        var mashId = await ann.MashAsync(TestSongs.OfLength(seconds: 20), TestSongs.B);

        var events = await EventStreamReader.ReadAllAsync(ann.Client, $"/mashes/{mashId}/events", Cancel);

        var progress = events.Where(e => e.Event == "progress").Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("percent").GetInt32()).ToList();
        Assert.NotEmpty(progress);
        Assert.Equal(progress.Order(), progress);
        Assert.Equal(100, progress[^1]);
        var (last, data) = events[^1];
        Assert.Equal("done", last);
        using var done = JsonDocument.Parse(data);
        Assert.Matches("^[0-9a-f]{32}$", done.RootElement.GetProperty("songId").GetString());
        Assert.Equal($"/mashes/{mashId}/download", done.RootElement.GetProperty("downloadUrl").GetString());
    }

    [Fact]
    public async Task Someone_else_cannot_delete_my_mash()
    {
        await using var site = await MashSites.StartAsync(_directory);
        using var ann = await MashVisitor.SignedUpAsync(site, "ann");
        using var bob = await MashVisitor.SignedUpAsync(site, "bob");
        var mashId = await ann.MashAsync(TestSongs.A, TestSongs.B);
        var bobsToken = Infrastructure.Browser.TokenOf(await bob.GetStringAsync("/"), "/");

        using var confirm = await bob.GetAsync($"/mashes/{mashId}/delete");
        using var delete = await bob.Client.PostAsync($"/mashes/{mashId}/delete", new FormUrlEncodedContent([new("__RequestVerificationToken", bobsToken)]), Cancel);
        var bobsView = await bob.GetStringAsync($"/mashes/{mashId}");

        Assert.Equal(HttpStatusCode.Forbidden, confirm.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        Assert.Contains("Only the person who made this mash can delete it", await delete.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"delete-mash\"", bobsView, StringComparison.Ordinal);
        using var stillThere = await ann.GetAsync($"/mashes/{mashId}");
        Assert.Equal(HttpStatusCode.OK, stillThere.StatusCode);
    }

    [Fact]
    public async Task The_owner_deletes_a_mash_through_the_confirm_page()
    {
        await using var site = await MashSites.StartAsync(_directory);
        using var ann = await MashVisitor.SignedUpAsync(site, "ann");
        var mashId = await ann.MashAsync(TestSongs.A, TestSongs.B);
        await ann.WaitUntilFinishedAsync(mashId);
        var page = await ann.GetStringAsync($"/mashes/{mashId}");
        var confirmPath = DeleteLink().Match(page).Groups[1].Value;

        using var deleted = await ann.SubmitAsync(confirmPath, confirmPath);

        Assert.Equal($"/mashes/{mashId}/delete", confirmPath);
        Assert.Equal(HttpStatusCode.SeeOther, deleted.StatusCode);
        Assert.Equal("/mine", deleted.Headers.Location?.OriginalString);
        using var gone = await ann.GetAsync($"/mashes/{mashId}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        using var download = await ann.GetAsync($"/mashes/{mashId}/download");
        Assert.Equal(HttpStatusCode.NotFound, download.StatusCode);
    }

    [Fact]
    public async Task The_owner_mashes_the_same_songs_again_with_other_settings()
    {
        await using var site = await MashSites.StartAsync(_directory);
        using var ann = await MashVisitor.SignedUpAsync(site, "ann");
        var first = await ann.MashAsync(TestSongs.A, TestSongs.B);
        var page = await ann.GetStringAsync($"/mashes/{first}");
        var token = Infrastructure.Browser.TokenOf(page, "/mashes");
        var songs = HiddenSong().Matches(page).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

        using var again = await ann.PostMultipartAsync("/mashes", token, [], [("songA", songs["songA"]), ("songB", songs["songB"]), ("mix", "0.5"), ("mode", "classic"), ("unit", "segment")]);

        Assert.Equal(HttpStatusCode.SeeOther, again.StatusCode);
        var second = MashVisitor.MashId(again.Headers.Location!.OriginalString);
        Assert.NotEqual(first, second);
        var secondPage = await ann.GetStringAsync($"/mashes/{second}");
        Assert.Contains("classic", secondPage, StringComparison.Ordinal);
        Assert.Contains("mix 0.5", secondPage, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();

    [GeneratedRegex("id=\"delete-mash\"[^>]*href=\"([^\"]+)\"")]
    private static partial Regex DeleteLink();

    [GeneratedRegex("<input type=\"hidden\" name=\"(song[AB])\" value=\"([0-9a-f]{32})\"")]
    private static partial Regex HiddenSong();
}
