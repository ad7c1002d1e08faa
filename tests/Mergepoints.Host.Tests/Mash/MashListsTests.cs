using System.Net;
using System.Text.RegularExpressions;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Mash;

public sealed partial class MashListsTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_demo_button_makes_two_songs_once()
    {
        await using var site = await MashSites.StartAsync(_directory);
        using var visitor = new MashVisitor(site.Url);
        var empty = await visitor.GetStringAsync("/");

        using var first = await visitor.SubmitAsync("/", "/demo");
        var afterFirst = await visitor.GetStringAsync("/songs");
        // The demo form is gone once there are songs; a second click comes from a page still open, now signed in.
        await visitor.SignUpAsync("ann");
        var token = Infrastructure.Browser.TokenOf(await visitor.GetStringAsync("/"), "/");
        using var second = await visitor.Client.PostAsync("/demo", new FormUrlEncodedContent([new("__RequestVerificationToken", token)]), Cancel);
        var afterSecond = await visitor.GetStringAsync("/songs");

        Assert.Contains("id=\"make-demo\"", empty, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, first.StatusCode);
        Assert.Matches("^/\\?songA=[0-9a-f]{32}&songB=[0-9a-f]{32}$", first.Headers.Location!.OriginalString);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(2, SongCards().Count(afterFirst));
        Assert.Equal(2, SongCards().Count(afterSecond));
        Assert.DoesNotContain("id=\"make-demo\"", await visitor.GetStringAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_anonymous_visitor_may_make_the_demo_only_on_an_empty_site()
    {
        await using var site = await MashSites.StartAsync(_directory);
        using var visitor = new MashVisitor(site.Url);
        var token = Infrastructure.Browser.TokenOf(await visitor.GetStringAsync("/"), "/");
        using var ann = await MashVisitor.SignedUpAsync(site, "ann");
        await ann.MashAsync(TestSongs.A, TestSongs.B);

        using var refused = await visitor.Client.PostAsync("/demo", new FormUrlEncodedContent([new("__RequestVerificationToken", token)]), Cancel);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("log in to make the demo songs", await refused.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.DoesNotContain("Drum Machine Groove", await visitor.GetStringAsync("/songs"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gallery_mine_and_songs_list_what_they_should_a_page_at_a_time()
    {
        await using var site = await MashSites.StartAsync(_directory, settings: new Dictionary<string, string?> { ["Mash:GalleryPageSize"] = "2" });
        using var ann = await MashVisitor.SignedUpAsync(site, "ann");
        using var bob = await MashVisitor.SignedUpAsync(site, "bob");
        var annsPublic1 = await ann.MashAsync(TestSongs.A, TestSongs.B);
        var annsPublic2 = await ann.MashAsync(TestSongs.B, TestSongs.A);
        var annsPrivate = await ann.MashAsync(TestSongs.A, TestSongs.A, [.. MashVisitor.DefaultSettings.Where(f => f.Item1 != "public")]);
        var bobsPublic = await bob.MashAsync(TestSongs.B, TestSongs.B);
        var outputs = new List<string>();
        foreach (var id in new[] { annsPublic1, annsPublic2, annsPrivate, bobsPublic })
        {
            outputs.Add(SongId().Match(await ann.WaitUntilFinishedAsync(id)).Groups[1].Value);
        }

        var gallery = await Pages(ann, "/gallery");
        var mine = await Pages(ann, "/mine");
        var bobsMine = await Pages(bob, "/mine");
        var songs = await Pages(ann, "/songs");
        using var stranger = new MashVisitor(site.Url);
        var strangersSongs = ListedSongs(await Pages(stranger, "/songs"));
        var bobsSongs = ListedSongs(await Pages(bob, "/songs"));
        var privateOutput = outputs[2];

        // Newest first: the gallery has the three public ones, over two pages of two.
        Assert.Equal([[bobsPublic, annsPublic2], [annsPublic1]], gallery.Select(MashIds));
        Assert.Equal([[annsPrivate, annsPublic2], [annsPublic1]], mine.Select(MashIds));
        Assert.Equal([[bobsPublic]], bobsMine.Select(MashIds));
        // The uploads and the four finished mashes, two to a page; the unlisted one's output for ann only.
        var listed = ListedSongs(songs);
        Assert.Subset(listed.ToHashSet(), outputs.ToHashSet());
        Assert.DoesNotContain(privateOutput, bobsSongs);
        Assert.DoesNotContain(privateOutput, strangersSongs);
        Assert.Subset(bobsSongs.ToHashSet(), outputs.Where(o => o != privateOutput).ToHashSet());
        Assert.Equal(bobsSongs, strangersSongs);
        Assert.DoesNotContain($"<option value=\"{privateOutput}\"", await bob.GetStringAsync("/"), StringComparison.Ordinal);
        Assert.Contains($"<option value=\"{privateOutput}\"", await ann.GetStringAsync("/"), StringComparison.Ordinal);
        Assert.Equal(listed.Count, listed.Distinct().Count());
        Assert.All(songs.SkipLast(1), page => Assert.Equal(2, SongCards().Count(page)));
        Assert.InRange(SongCards().Count(songs[^1]), 1, 2);
        Assert.Contains("class=\"plays\"", songs[0], StringComparison.Ordinal);
        Assert.Contains("rel=\"next\" href=\"/gallery?page=2\"", gallery[0], StringComparison.Ordinal);
        Assert.Contains("rel=\"prev\" href=\"/gallery?page=1\"", gallery[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task My_mashes_asks_an_anonymous_visitor_to_log_in()
    {
        await using var site = await MashSites.StartAsync(_directory);

        using var response = await site.Client.GetAsync("/mine", Cancel);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login?returnUrl=%2Fmine", response.Headers.Location?.OriginalString);
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>Every page of a list, following its "older" links from the first.</summary>
    private static async Task<List<string>> Pages(MashVisitor visitor, string path)
    {
        var pages = new List<string> { await visitor.GetStringAsync(path) };
        while (NextPage().Match(pages[^1]) is { Success: true } next)
        {
            pages.Add(await visitor.GetStringAsync(System.Net.WebUtility.HtmlDecode(next.Groups[1].Value)));
        }
        return pages;
    }

    private static List<string> ListedSongs(IEnumerable<string> pages) => [.. pages.SelectMany(page => SongCards().Matches(page).Select(m => m.Groups[1].Value))];

    private static string[] MashIds(string page) => [.. MashCard().Matches(page).Select(m => m.Groups[1].Value)];

    [GeneratedRegex("<li class=\"card\" data-mash-id=\"([0-9a-f]{32})\"")]
    private static partial Regex MashCard();

    [GeneratedRegex("<li class=\"card\" data-song-id=\"([0-9a-f]{32})\"")]
    private static partial Regex SongCards();

    [GeneratedRegex("\"songId\":\"([0-9a-f]{32})\"")]
    private static partial Regex SongId();

    [GeneratedRegex("rel=\"next\" href=\"([^\"]+)\"")]
    private static partial Regex NextPage();
}
