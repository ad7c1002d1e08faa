using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Mergepoints.Host.Tests.Mash;
using Mergepoints.Middleware.Data;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Admin;

/// <summary>Songs: search, sort and pages with a bound; rename and delete, each with its audit entry.</summary>
public sealed partial class AdminSongTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_renamed_song_shows_its_new_title_on_the_site_and_the_audit_keeps_both(DatastoreKind kind)
    {
        await using var site = await AdminTestSite.StartAsync(_directory, kind);
        await site.AddUserAsync("root", admin: true);
        var (songA, _) = await DemoSongsAsync(site);
        using var root = new AdminVisitor(site.Url);
        await root.SignInAsync("root");
        var before = await site.ScalarAsync<string>("SELECT title FROM songs WHERE id = @songA", new { songA });

        var form = await root.PageAsync($"/songs/{songA}/rename?back=%2Fadmin%2Fsongs%3Fsort%3Dplays");
        using var empty = await root.PostAsync($"/songs/{songA}/rename", Infrastructure.Browser.TokenOf(form, "rename"), ("title", "   "), ("back", "/admin/songs?sort=plays"));
        using var renamed = await root.PostAsync($"/songs/{songA}/rename", Infrastructure.Browser.TokenOf(form, "rename"), ("title", "  Night <Song> & Co  "), ("back", "/admin/songs?sort=plays"));
        using var mashSite = new MashVisitor(site.Url);
        var songsPage = await mashSite.GetStringAsync("/songs");
        var audit = await site.AuditAsync();

        Assert.Contains($"value=\"{before}\"", form, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("id=\"form-error\"", await empty.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, renamed.StatusCode);
        Assert.Equal("/admin/songs?sort=plays", renamed.Headers.Location!.OriginalString);
        Assert.Equal("Night <Song> & Co", await site.ScalarAsync<string>("SELECT title FROM songs WHERE id = @songA", new { songA }));
        Assert.Contains("Night &lt;Song&gt; &amp; Co", songsPage, StringComparison.Ordinal);
        var entry = Assert.Single(audit);
        Assert.Equal(("song.rename", "song", songA), (entry.Action, entry.RecordKind, entry.RecordId));
        Assert.Equal(before, Property(entry.Before, "title"));
        Assert.Equal("Night <Song> & Co", Property(entry.After, "title"));
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_deleted_song_takes_its_file_along_after_a_confirmation_that_says_so(DatastoreKind kind)
    {
        await using var site = await AdminTestSite.StartAsync(_directory, kind);
        await site.AddUserAsync("root", admin: true);
        var (songA, songB) = await DemoSongsAsync(site);
        var blobA = await site.BlobPathAsync(songA);
        using var root = new AdminVisitor(site.Url);
        await root.SignInAsync("root");

        var confirm = await root.PageAsync($"/songs/{songA}/delete?back=%2Fadmin%2Fsongs%3Fq%3Dx");
        var existedBefore = File.Exists(blobA);
        using var deleted = await root.PressAsync($"/songs/{songA}/delete?back=%2Fadmin%2Fsongs%3Fq%3Dx", $"/songs/{songA}/delete");
        using var again = await root.PostAsync($"/songs/{songA}/delete", await root.TokenAsync());

        Assert.Contains("and its file unless another song holds the same bytes", confirm, StringComparison.Ordinal);
        Assert.True(existedBefore);
        Assert.Equal(HttpStatusCode.SeeOther, deleted.StatusCode);
        Assert.Equal("/admin/songs?q=x", deleted.Headers.Location!.OriginalString);
        Assert.False(File.Exists(blobA));
        Assert.Equal(0, await site.ScalarAsync<long>("SELECT COUNT(*) FROM songs WHERE id = @songA", new { songA }));
        Assert.Equal(1, await site.ScalarAsync<long>("SELECT COUNT(*) FROM songs WHERE id = @songB", new { songB }));
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        var entry = Assert.Single(await site.AuditAsync());
        Assert.Equal(("song.delete", songA), (entry.Action, entry.RecordId));
        Assert.Equal(songA, Property(entry.Before, "id"));
        Assert.Null(entry.After);
    }

    [Fact]
    public async Task Songs_are_searched_by_title_sorted_by_plays_or_date_and_a_page_holds_at_most_100()
    {
        await using var site = await AdminTestSite.StartAsync(_directory, DatastoreKind.Sqlite);
        await site.AddUserAsync("root", admin: true);
        // Rows alone are enough to list: 105 songs, every tenth one "special" and played as often as its number.
        for (var i = 1; i <= 105; i++)
        {
            await site.ExecuteAsync(
                """
                INSERT INTO songs (id, play_count, title, blob_hash, content_type, bytes, origin, created_at)
                VALUES (@id, @plays, @title, @hash, 'audio/wav', 44, 'demo', @at)
                """,
                new { id = $"{i:x32}", plays = i % 10 == 0 ? i : 0, title = i % 10 == 0 ? $"Special 100% {i}" : $"Song {i}", hash = new string('a', 64), at = 1_700_000_000_000L + i });
        }
        using var root = new AdminVisitor(site.Url);
        await root.SignInAsync("root");

        var huge = await root.PageAsync("/songs?size=1000");
        var second = await root.PageAsync("/songs?size=1000&page=2");
        var byPlays = await root.PageAsync("/songs?q=special%20100%25&sort=plays&size=3");
        var percentOnly = await root.PageAsync("/songs?q=%25");
        using var sizeZero = await root.GetAsync("/songs?size=0");
        using var pageWord = await root.GetAsync("/songs?page=two");
        using var badSort = await root.GetAsync("/songs?sort=title");

        Assert.Equal(100, Rows(huge).Count);
        Assert.Contains("105 rows · page 1 of 2", huge, StringComparison.Ordinal);
        Assert.Equal(5, Rows(second).Count);
        // Newest first by default: song 105 leads.
        Assert.Equal($"{105:x32}", Rows(huge)[0]);
        Assert.Equal([$"{100:x32}", $"{90:x32}", $"{80:x32}"], Rows(byPlays));
        Assert.Contains("10 rows · page 1 of 4", byPlays, StringComparison.Ordinal);
        Assert.Contains("href=\"/admin/songs?q=special%20100%25&amp;sort=plays&amp;page=2&amp;size=3\"", byPlays, StringComparison.Ordinal);
        Assert.Equal(10, Rows(percentOnly).Count);
        Assert.Equal(HttpStatusCode.BadRequest, sizeZero.StatusCode);
        Assert.Contains("size must be a whole number from 1", await sizeZero.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, pageWord.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badSort.StatusCode);
        Assert.Contains("sort must be one of date, plays", await badSort.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    /// <summary>The two demo songs, made through the site's own button by a user of their own.</summary>
    internal static async Task<(string SongA, string SongB)> DemoSongsAsync(AdminTestSite site)
    {
        using var maker = new MashVisitor(site.Url);
        using var made = await maker.SubmitAsync("/", "/demo");
        var match = DemoLocation().Match(made.Headers.Location!.OriginalString);
        Assert.True(match.Success, made.Headers.Location.OriginalString);
        return (match.Groups[1].Value, match.Groups[2].Value);
    }

    internal static string? Property(string? json, string name) =>
        JsonDocument.Parse(json!).RootElement.GetProperty(name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static List<string> Rows(string page) => [.. SongRow().Matches(page).Select(m => m.Groups[1].Value)];

    public void Dispose() => _directory.Dispose();

    [GeneratedRegex("songA=([0-9a-f]{32})&songB=([0-9a-f]{32})")]
    private static partial Regex DemoLocation();

    [GeneratedRegex("<tr data-song-id=\"([0-9a-f]{32})\"")]
    private static partial Regex SongRow();
}
