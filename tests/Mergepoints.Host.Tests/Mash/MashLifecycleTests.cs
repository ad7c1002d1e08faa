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
    public async Task An_unlisted_mash_is_kept_by_browsers_only_never_by_shared_caches()
    {
        await using var site = await MashSites.StartAsync(_directory);
        using var ann = await MashVisitor.SignedUpAsync(site, "ann");
        var mashId = await ann.MashAsync(TestSongs.A, TestSongs.B, [.. MashVisitor.DefaultSettings.Where(f => f.Item1 != "public")]);
        using var status = JsonDocument.Parse(await ann.WaitUntilFinishedAsync(mashId));

        using var audio = await ann.Client.GetAsync(status.RootElement.GetProperty("audioUrl").GetString(), Cancel);
        using var download = await ann.GetAsync($"/mashes/{mashId}/download");
        using var upload = await ann.Client.GetAsync(SongAAudio(await ann.GetStringAsync("/songs")), Cancel);

        Assert.All([audio, download], response => Assert.Equal((true, false), (response.Headers.CacheControl!.Private, response.Headers.CacheControl.Public)));
        Assert.Equal((false, true), (upload.Headers.CacheControl!.Private, upload.Headers.CacheControl.Public));
        Assert.All([audio, download, upload], response => Assert.Equal(TimeSpan.FromDays(365), response.Headers.CacheControl!.MaxAge));
    }

    [Fact]
    public async Task A_song_whose_file_is_gone_is_a_404_page()
    {
        await using var site = await MashSites.StartAsync(_directory);
        using var ann = await MashVisitor.SignedUpAsync(site, "ann");
        await ann.MashAsync(TestSongs.A, TestSongs.B);
        var audioUrl = SongAAudio(await ann.GetStringAsync("/songs"));
        MashSites.DeleteSongFiles(_directory);

        using var response = await ann.Client.GetAsync(audioUrl, Cancel);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("This song&#x27;s audio is no longer on the server.", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
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
    public async Task An_anonymous_visitor_cannot_delete_a_mash()
    {
        await using var site = await MashSites.StartAsync(_directory);
        using var stranger = new MashVisitor(site.Url);
        // A token from the empty site's demo form: a page anonymous visitors get a form on.
        var token = Infrastructure.Browser.TokenOf(await stranger.GetStringAsync("/"), "/");
        using var ann = await MashVisitor.SignedUpAsync(site, "ann");
        var mashId = await ann.MashAsync(TestSongs.A, TestSongs.B);

        using var withToken = await stranger.Client.PostAsync($"/mashes/{mashId}/delete", new FormUrlEncodedContent([new("__RequestVerificationToken", token)]), Cancel);
        using var withoutToken = await stranger.Client.PostAsync($"/mashes/{mashId}/delete", new FormUrlEncodedContent([]), Cancel);

        Assert.Equal(HttpStatusCode.Unauthorized, withToken.StatusCode);
        Assert.Contains($"/account/login?returnUrl=%2Fmashes%2F{mashId}%2Fdelete", await withToken.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
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
        // The meta line, not the resubmit form's options, which name every mode.
        Assert.Contains(">classic, by segments, mix 0.5</span>", secondPage, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>The audio of the upload "song a" (MashVisitor's name for song A) on the songs page.</summary>
    private static string SongAAudio(string songsPage) => $"/songs/{SongACard().Match(songsPage).Groups[1].Value}/audio";

    [GeneratedRegex("data-song-id=\"([0-9a-f]{32})\">\\s*<h2>song a</h2>")]
    private static partial Regex SongACard();

    [GeneratedRegex("id=\"delete-mash\"[^>]*href=\"([^\"]+)\"")]
    private static partial Regex DeleteLink();

    [GeneratedRegex("<input type=\"hidden\" name=\"(song[AB])\" value=\"([0-9a-f]{32})\"")]
    private static partial Regex HiddenSong();
}
