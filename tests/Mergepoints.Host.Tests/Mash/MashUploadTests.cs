using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Mash;

public sealed class MashUploadTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_anonymous_upload_is_refused_with_a_way_to_log_in()
    {
        await using var site = await MashSites.StartAsync(_directory);
        using var stranger = new MashVisitor(site.Url);

        using var response = await stranger.PostMultipartAsync("/mashes", token: null, [("fileA", "a.wav", TestSongs.A), ("fileB", "b.wav", TestSongs.B)]);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("/account/login?returnUrl=", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Contains("No songs yet", await NoSongsYetAsync(stranger), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_without_its_token_is_a_400_that_says_why_and_keeps_nothing()
    {
        await using var site = await MashSites.StartAsync(_directory);
        using var ann = await MashVisitor.SignedUpAsync(site, "ann");

        using var mash = await ann.PostMultipartAsync("/mashes", token: null, [("fileA", "a.wav", TestSongs.A), ("fileB", "b.wav", TestSongs.B)], MashVisitor.DefaultSettings);
        using var forged = await ann.PostMultipartAsync("/mashes", token: "forged", [("fileA", "a.wav", TestSongs.A), ("fileB", "b.wav", TestSongs.B)], MashVisitor.DefaultSettings);
        using var demo = await ann.Client.PostAsync("/demo", new FormUrlEncodedContent([]), Cancel);

        foreach (var response in new[] { mash, forged, demo })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("reload the page and send it again", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        }
        Assert.Contains("No songs yet", await NoSongsYetAsync(ann), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_sent_before_the_token_is_refused()
    {
        await using var site = await MashSites.StartAsync(_directory);
        using var ann = await MashVisitor.SignedUpAsync(site, "ann");
        var token = Infrastructure.Browser.TokenOf(await ann.GetStringAsync("/"), "/");
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(TestSongs.A), "fileA", "a.wav" },
            { new StringContent(token), "__RequestVerificationToken" },
        };

        using var response = await ann.Client.PostAsync("/mashes", form, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("No songs yet", await NoSongsYetAsync(ann), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_text_file_is_a_415_with_the_message_on_the_form_and_the_other_fields_kept()
    {
        await using var site = await MashSites.StartAsync(_directory);
        using var ann = await MashVisitor.SignedUpAsync(site, "ann");

        using var response = await ann.MashAsync(
            [("fileA", "notes.wav", Encoding.UTF8.GetBytes("these are my notes, not a song\n")), ("fileB", "b.wav", TestSongs.B)],
            ("mix", "0.35"), ("mode", "classic"), ("unit", "segment"), ("public", "on"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync(Cancel);
        Assert.Contains("id=\"form-error\"", page, StringComparison.Ordinal);
        Assert.Contains("value=\"0.35\"", page, StringComparison.Ordinal);
        Assert.Contains("<option value=\"classic\" selected", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"envelope\" name=\"envelope\" checked", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_upload_over_the_limit_is_a_readable_413()
    {
        await using var site = await MashSites.StartAsync(_directory, settings: new Dictionary<string, string?> { ["Mash:MaxUploadBytes"] = "100000" });
        using var ann = await MashVisitor.SignedUpAsync(site, "ann");

        using var response = await ann.MashAsync([("fileA", "long.wav", TestSongs.OfLength(seconds: 4)), ("fileB", "b.wav", TestSongs.B)], MashVisitor.DefaultSettings);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync(Cancel);
        Assert.Contains("id=\"form-error\"", page, StringComparison.Ordinal);
        Assert.Contains("97.7 KB", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mode_is_one_of_the_forms_own_words_and_nothing_else()
    {
        await using var site = await MashSites.StartAsync(_directory);
        using var ann = await MashVisitor.SignedUpAsync(site, "ann");

        using var response = await ann.MashAsync([("fileA", "a.wav", TestSongs.A), ("fileB", "b.wav", TestSongs.B)], ("mode", "smooth,classic"), ("unit", "segment"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("The mode must be one of smooth, classic, not &quot;smooth,classic&quot;.", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_file_uploaded_again_is_the_same_song()
    {
        await using var site = await MashSites.StartAsync(_directory);
        using var ann = await MashVisitor.SignedUpAsync(site, "ann");

        await ann.MashAsync(TestSongs.A, TestSongs.B);
        await ann.MashAsync(TestSongs.A, TestSongs.B);
        var home = await ann.GetStringAsync("/");

        // Once in the picker for A, once in the one for B.
        Assert.Equal(2, Regex.Count(home, ">song a</option>"));
    }

    [Fact]
    public async Task A_body_past_what_the_form_may_carry_is_a_readable_413_not_a_500()
    {
        await using var site = await MashSites.StartAsync(_directory, settings: new Dictionary<string, string?> { ["Mash:MaxUploadBytes"] = "100000" });
        using var ann = await MashVisitor.SignedUpAsync(site, "ann");

        // Two songs at the limit plus a megabyte is all a form may carry; this one is three times that.
        using var response = await ann.MashAsync([("fileA", "huge.wav", TestSongs.OfLength(seconds: 80))], MashVisitor.DefaultSettings);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("too large", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_song_twice_is_a_mash_too()
    {
        await using var site = await MashSites.StartAsync(_directory);
        using var ann = await MashVisitor.SignedUpAsync(site, "ann");

        var mashId = await ann.MashAsync(TestSongs.A, TestSongs.A);

        Assert.Contains("\"status\":\"done\"", await ann.WaitUntilFinishedAsync(mashId), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Songs_already_here_can_be_picked_instead_of_uploaded()
    {
        await using var site = await MashSites.StartAsync(_directory);
        using var ann = await MashVisitor.SignedUpAsync(site, "ann");
        using var demo = await ann.SubmitAsync("/", "/demo");
        var picked = new Uri(site.Url, demo.Headers.Location!).Query.TrimStart('?').Split('&').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);

        using var response = await ann.MashAsync([], [("songA", picked["songA"]), ("songB", picked["songB"]), .. MashVisitor.DefaultSettings]);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var page = await ann.GetStringAsync(response.Headers.Location!.OriginalString);
        Assert.Contains("id=\"mash-progress\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pick_that_is_not_in_the_library_says_which_song_to_choose_again()
    {
        await using var site = await MashSites.StartAsync(_directory);
        using var ann = await MashVisitor.SignedUpAsync(site, "ann");

        using var response = await ann.MashAsync([("fileB", "b.wav", TestSongs.B)], [("songA", "0123456789abcdef0123456789abcdef"), .. MashVisitor.DefaultSettings]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync(Cancel);
        Assert.Contains("Song A is no longer here: choose it again.", page, StringComparison.Ordinal);
        Assert.Matches("<option value=\"[0-9a-f]{32}\" selected[^>]*>b</option>", page);
    }

    [Fact]
    public async Task A_form_without_song_B_says_to_choose_it()
    {
        await using var site = await MashSites.StartAsync(_directory);
        using var ann = await MashVisitor.SignedUpAsync(site, "ann");

        using var response = await ann.MashAsync([("fileA", "a.wav", TestSongs.A), ("fileB", "", [])], MashVisitor.DefaultSettings);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync(Cancel);
        Assert.Contains("Choose song B", page, StringComparison.Ordinal);
        // Song A is kept, and offered as the pick, so only B is left to choose.
        Assert.Matches("<option value=\"[0-9a-f]{32}\" selected[^>]*>a</option>", page);
    }

    [Fact]
    public async Task A_disk_the_server_cannot_write_is_its_own_500_not_a_400_that_names_its_files()
    {
        await using var site = await MashSites.StartAsync(_directory);
        using var ann = await MashVisitor.SignedUpAsync(site, "ann");
        // Where uploads are written first is a file now: the library cannot stage a single byte.
        var staging = Path.Combine(_directory.Path, "data", "blobs", "tmp");
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(staging)!);
        await File.WriteAllTextAsync(staging, "in the way", Cancel);

        using var response = await ann.MashAsync([("fileA", "a.wav", TestSongs.A), ("fileB", "b.wav", TestSongs.B)], MashVisitor.DefaultSettings);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync(Cancel);
        Assert.Contains("The server failed to answer this request", page, StringComparison.Ordinal);
        Assert.DoesNotContain(_directory.Path, page, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();

    private static async Task<string> NoSongsYetAsync(MashVisitor visitor) => await visitor.GetStringAsync("/songs");
}
