using System.Net;
using System.Text.Json;
using Mergepoints.Middleware.Data;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Admin;

/// <summary>The admin and the play counter, over HTTP with the admin's own session: live plays, reset, flush, and a counter that is away.</summary>
public sealed class AdminCounterTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task The_dashboard_adds_the_counters_plays_a_reset_clears_both_and_a_flush_moves_them_into_the_database(DatastoreKind kind)
    {
        // No write-behind of its own: only the admin's flush moves plays.
        await using var site = await AdminTestSite.StartAsync(_directory, kind, settings: new Dictionary<string, string?> { ["Counter:WriteBehindSeconds"] = "0" });
        await site.AddUserAsync("root", admin: true);
        var (songA, songB) = await AdminSongTests.DemoSongsAsync(site);
        await site.ExecuteAsync("UPDATE songs SET play_count = 7 WHERE id = @songA", new { songA });
        await PlayAsync(site, songA, times: 3);
        await PlayAsync(site, songB, times: 2);
        using var root = new AdminVisitor(site.Url);
        await root.SignInAsync("root");

        var dashboard = await root.PageAsync("/");
        var confirm = await root.PageAsync($"/songs/{songA}/reset-count");
        using var reset = await root.PressAsync($"/songs/{songA}/reset-count", $"/songs/{songA}/reset-count");
        var counterAfterReset = await site.Site.Client.GetStringAsync($"/api/song/{songA}", Cancel);
        using var flushed = await root.PressAsync("/", "/counter/flush");
        var flushPage = await flushed.Content.ReadAsStringAsync(Cancel);
        var counterAfterFlush = await site.Site.Client.GetStringAsync($"/api/song/{songB}", Cancel);
        var audit = await site.AuditAsync();

        Assert.Contains($"data-song-id=\"{songA}\">10<", dashboard, StringComparison.Ordinal);
        Assert.Contains($"data-song-id=\"{songB}\">2<", dashboard, StringComparison.Ordinal);
        Assert.Contains("has 7 plays in the database, and 3 more on the counter", confirm, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, reset.StatusCode);
        Assert.Equal(0, await site.ScalarAsync<long>("SELECT play_count FROM songs WHERE id = @songA", new { songA }));
        Assert.Equal("0", counterAfterReset.Trim());
        Assert.Equal(HttpStatusCode.OK, flushed.StatusCode);
        Assert.Contains("flushed 2 plays of 1 song", flushPage, StringComparison.Ordinal);
        Assert.Equal(2, await site.ScalarAsync<long>("SELECT play_count FROM songs WHERE id = @songB", new { songB }));
        Assert.Equal("0", counterAfterFlush.Trim());
        Assert.Equal(["song.reset-count", "counter.flush"], audit.Select(a => a.Action));
        Assert.Equal((7, 3), (Number(audit[0].Before, "playCount"), Number(audit[0].Before, "counterPlays")));
        Assert.Equal((0, 0), (Number(audit[0].After, "playCount"), Number(audit[0].After, "counterPlays")));
        Assert.Null(audit[1].Before);
        Assert.Contains("flushed 2 plays", audit[1].After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_counter_that_cannot_be_reached_is_a_readable_error_and_the_database_is_left_as_it_was()
    {
        // Port 9 (discard) is closed here: the connection is refused at once.
        await using var site = await AdminTestSite.StartAsync(_directory, DatastoreKind.Sqlite, settings: new Dictionary<string, string?> { ["Admin:CounterUrls:0"] = "http://127.0.0.1:9/api" });
        await site.AddUserAsync("root", admin: true);
        var (songA, _) = await AdminSongTests.DemoSongsAsync(site);
        await site.ExecuteAsync("UPDATE songs SET play_count = 7 WHERE id = @songA", new { songA });
        using var root = new AdminVisitor(site.Url);
        await root.SignInAsync("root");

        var dashboard = await root.PageAsync("/");
        var confirm = await root.PageAsync($"/songs/{songA}/reset-count");
        using var reset = await root.PressAsync($"/songs/{songA}/reset-count", $"/songs/{songA}/reset-count");
        using var flush = await root.PressAsync("/", "/counter/flush");

        Assert.Contains("The counter at <code>http://127.0.0.1:9/api/</code> could not be reached", dashboard, StringComparison.Ordinal);
        Assert.Contains($"data-song-id=\"{songA}\">7<", dashboard, StringComparison.Ordinal);
        Assert.Contains("the reset cannot be done until it answers", confirm, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadGateway, reset.StatusCode);
        Assert.Contains("did not reset the song (could not be reached", await reset.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(7, await site.ScalarAsync<long>("SELECT play_count FROM songs WHERE id = @songA", new { songA }));
        Assert.Equal(HttpStatusCode.BadGateway, flush.StatusCode);
        Assert.Contains("Not every counter flushed", await flush.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Empty(await site.AuditAsync());
    }

    private static async Task PlayAsync(AdminTestSite site, string songId, int times)
    {
        for (var i = 0; i < times; i++)
        {
            using var played = await site.Site.Client.PostAsync(new Uri($"/api/song/{songId}", UriKind.Relative), null, Cancel);
            played.EnsureSuccessStatusCode();
        }
    }

    private static long Number(string? json, string name) => JsonDocument.Parse(json!).RootElement.GetProperty(name).GetInt64();

    public void Dispose() => _directory.Dispose();
}
