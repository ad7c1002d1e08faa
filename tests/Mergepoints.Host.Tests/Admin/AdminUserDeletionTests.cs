using System.Net;
using System.Text.Json;
using Mergepoints.Host.Tests.Mash;
using Mergepoints.Middleware.Data;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Admin;

/// <summary>
/// Deleting a user takes their mashes (outputs and files too) and their uploads, and leaves other people's mashes
/// made from those songs their own outputs; the confirmation says exactly that, with the numbers.
/// </summary>
public sealed class AdminUserDeletionTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_deleted_user_takes_their_mashes_and_uploads_and_others_mashes_keep_their_outputs(DatastoreKind kind)
    {
        await using var site = await AdminTestSite.StartAsync(_directory, kind);
        await site.AddUserAsync("root", admin: true);
        using var ann = new MashVisitor(site.Url);
        using var bob = new MashVisitor(site.Url);
        await ann.SignUpAsync("ann");
        await bob.SignUpAsync("bob");
        var annId = (await site.FindUserAsync("ann"))!.Id;
        var annsMash = await ann.MashAsync(TestSongs.A, TestSongs.B);
        await ann.WaitUntilFinishedAsync(annsMash);
        var songA = await site.ScalarAsync<string>("SELECT song_a_id FROM mashups WHERE id = @annsMash", new { annsMash });
        var songB = await site.ScalarAsync<string>("SELECT song_b_id FROM mashups WHERE id = @annsMash", new { annsMash });
        var annsOutput = await site.ScalarAsync<string>("SELECT output_song_id FROM mashups WHERE id = @annsMash", new { annsMash });
        using var bobSubmits = await bob.MashAsync([], [("songA", songA), ("songB", songB), .. MashVisitor.DefaultSettings]);
        var bobsMash = MashVisitor.MashId(bobSubmits.Headers.Location!.OriginalString);
        await bob.WaitUntilFinishedAsync(bobsMash);
        var bobsOutput = await site.ScalarAsync<string>("SELECT output_song_id FROM mashups WHERE id = @bobsMash", new { bobsMash });
        var uploadBlobs = new[] { await site.BlobPathAsync(songA), await site.BlobPathAsync(songB) };
        var bobsBlob = await site.BlobPathAsync(bobsOutput);
        using var root = new AdminVisitor(site.Url);
        await root.SignInAsync("root");

        var confirm = WebUtility.HtmlDecode(await root.PageAsync($"/users/{annId}/delete?back=%2Fadmin%2Fusers%3Fq%3Dan"));
        using var deleted = await root.PressAsync($"/users/{annId}/delete?back=%2Fadmin%2Fusers%3Fq%3Dan", $"/users/{annId}/delete");
        var bobsPage = await bob.GetStringAsync($"/mashes/{bobsMash}");
        var audit = Assert.Single(await site.AuditAsync());

        Assert.Contains("The account ann is deleted: they are signed out at once and cannot sign in again.", confirm, StringComparison.Ordinal);
        Assert.Contains("Their 1 mash is deleted with its output songs and files: 1 finished, 0 still queued or running", confirm, StringComparison.Ordinal);
        Assert.Contains("Their 2 uploaded songs are deleted, with each file no other song holds.", confirm, StringComparison.Ordinal);
        Assert.Contains("1 mash by other people made from their songs keeps its own output, and shows those songs as deleted.", confirm, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, deleted.StatusCode);
        Assert.Equal("/admin/users?q=an", deleted.Headers.Location!.OriginalString);
        Assert.Null(await site.FindUserAsync("ann"));
        Assert.Contains("\"anonymous\":true", await ann.Browser.WhoAmIAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await site.ScalarAsync<long>("SELECT COUNT(*) FROM mashups WHERE owner_user_id = @annId", new { annId }));
        Assert.Equal(0, await site.ScalarAsync<long>("SELECT COUNT(*) FROM songs WHERE owner_user_id = @annId", new { annId }));
        Assert.Equal(0, await site.ScalarAsync<long>("SELECT COUNT(*) FROM songs WHERE id = @annsOutput", new { annsOutput }));
        Assert.All(uploadBlobs, blob => Assert.False(File.Exists(blob), blob));
        Assert.Equal(bobsOutput, await site.ScalarAsync<string>("SELECT output_song_id FROM mashups WHERE id = @bobsMash", new { bobsMash }));
        Assert.True(File.Exists(bobsBlob));
        Assert.Contains("id=\"mash-audio\"", bobsPage, StringComparison.Ordinal);
        Assert.Equal(("user.delete", annId), (audit.Action, audit.RecordId));
        var before = JsonDocument.Parse(audit.Before!).RootElement;
        Assert.Equal(("ann", 1, 2), (before.GetProperty("name").GetString(), before.GetProperty("mashes").GetInt32(), before.GetProperty("songs").GetInt32()));
        Assert.Null(audit.After);
    }

    public void Dispose() => _directory.Dispose();
}
