using System.Net;
using Dapper;
using Mergepoints.Counter.Client;
using Mergepoints.Host.Tests.Infrastructure;
using Mergepoints.Middleware.Data;
using Mergepoints.Middleware.Users;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Counter;

/// <summary>
/// The counter's admin operations through the whole host, as the admin app calls them: a real session cookie
/// (an admin made the way <c>mergepoints users add --admin</c> makes one), over a real socket, on both datastores.
/// </summary>
public sealed class CounterAdminEndToEndTests : IDisposable
{
    private const string Site = """{"mounts": [{"path": "/api", "app": "counter"}]}""";

    private readonly TempDirectory _directory = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task An_admin_resets_a_song_flushes_and_clears_every_count_and_nobody_else_may(DatastoreKind kind)
    {
        await using var postgres = kind == DatastoreKind.Postgres ? await Databases.CreateAsync(kind) : null;
        var sqlitePath = Path.Combine(_directory.Path, "site.db");
        var datastore = postgres?.Datastore ?? new Datastore(null, sqlitePath, TimeSpan.FromSeconds(10));
        await using var site = await RunningSite.StartAsync(_directory, Site, new Dictionary<string, string?>
        {
            ["Datastore:Postgres"] = postgres?.PostgresConnectionString,
            ["Datastore:SqlitePath"] = sqlitePath,
            // No automatic flushes: the admin's is the only one, and still there.
            ["Counter:WriteBehindSeconds"] = "0",
        });
        await AddSongsAsync(datastore, "a", "b");
        await new UserStore(datastore).CreateAsync("root", "a long secret", isAdmin: true, Cancel);
        using var admin = new Browser(site.Url);
        using var user = new Browser(site.Url);
        using var anonymous = new Browser(site.Url);
        (await admin.LogInAsync("root", "a long secret")).Dispose();
        (await user.RegisterAsync("ann", "correct-horse")).Dispose();
        foreach (var song in new[] { "a", "a", "a", "b", "b" })
        {
            (await anonymous.Client.PostAsync("/api/song/" + song, null, Cancel)).EnsureSuccessStatusCode();
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(anonymous, HttpMethod.Delete, "/api/song/a")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(anonymous, HttpMethod.Post, "/api/flush")).Status);
        Assert.Equal((HttpStatusCode.Forbidden, "Only an admin may reset a song's count.\n"), await SendAsync(user, HttpMethod.Delete, "/api/song/a"));
        Assert.Equal((HttpStatusCode.Forbidden, "Only an admin may flush the counts into the database.\n"), await SendAsync(user, HttpMethod.Post, "/api/flush"));
        Assert.Equal("a=3,b=2", await anonymous.Client.GetStringAsync("/api/", Cancel));

        Assert.Equal((HttpStatusCode.OK, "OK"), await SendAsync(admin, HttpMethod.Delete, "/api/song/a"));
        (await anonymous.Client.PostAsync("/api/song/a", null, Cancel)).EnsureSuccessStatusCode();
        Assert.Equal((HttpStatusCode.OK, "flushed 3 plays of 2 songs"), await SendAsync(admin, HttpMethod.Post, "/api/flush"));

        Assert.Equal(new Dictionary<string, long> { ["a"] = 1, ["b"] = 2 }, await PlayCountsAsync(datastore));
        Assert.Equal("", await anonymous.Client.GetStringAsync("/api/", Cancel));
        Assert.Contains("into songs.play_count on POST /flush only", site.Summary, StringComparison.Ordinal);

        // Clearing every count is an admin's too; a service passes an admin's session cookie in CountClient's headers.
        (await anonymous.Client.PostAsync("/api/song/b", null, Cancel)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(anonymous, HttpMethod.Delete, "/api/")).Status);
        using (var asUser = CountClientWithSessionOf(user, site.Url))
        {
            Assert.Equal(HttpStatusCode.Forbidden, Assert.Single((await asUser.ResetAsync(Cancel)).Failed).StatusCode);
        }
        Assert.Equal("b=1", await anonymous.Client.GetStringAsync("/api/", Cancel));
        using (var asAdmin = CountClientWithSessionOf(admin, site.Url))
        {
            Assert.True((await asAdmin.ResetAsync(Cancel)).AllSucceeded);
        }
        Assert.Equal("", await anonymous.Client.GetStringAsync("/api/", Cancel));
    }

    private static CountClient CountClientWithSessionOf(Browser browser, Uri site) => new(new CountClientOptions
    {
        Servers = [new Uri(site, "/api/")],
        Headers = new Dictionary<string, string> { ["Cookie"] = $"mergepoints_session={browser.Session(site).Value}" },
    });

    [Fact]
    public async Task By_default_the_mount_summary_says_every_60_s_and_on_POST_flush()
    {
        await using var site = await RunningSite.StartAsync(_directory, Site);

        Assert.Contains("into songs.play_count every 60 s and on POST /flush", site.Summary, StringComparison.Ordinal);
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(Browser browser, HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        using var response = await browser.Client.SendAsync(request, Cancel);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Cancel));
    }

    /// <summary>
    /// Rows in the mash library's <c>songs</c> table, as an upload leaves them; the table is made here in that
    /// shape where no mash migration has made it.
    /// </summary>
    private static async Task AddSongsAsync(Datastore datastore, params string[] songs)
    {
        await using var connection = await datastore.OpenAsync(Cancel);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            CREATE TABLE IF NOT EXISTS songs (
                id TEXT PRIMARY KEY, play_count BIGINT NOT NULL DEFAULT 0, title TEXT NOT NULL, blob_hash TEXT NOT NULL,
                content_type TEXT NOT NULL, bytes BIGINT NOT NULL, origin TEXT NOT NULL, created_at BIGINT NOT NULL)
            """, cancellationToken: Cancel));
        foreach (var song in songs)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO songs (id, title, blob_hash, content_type, bytes, origin, created_at)
                VALUES (@song, @song, @hash, 'audio/wav', 44, 'upload', 0)
                """,
                new { song, hash = new string('0', 64) }, cancellationToken: Cancel));
        }
    }

    private static async Task<Dictionary<string, long>> PlayCountsAsync(Datastore datastore)
    {
        await using var connection = await datastore.OpenAsync(Cancel);
        var rows = await connection.QueryAsync<(string Id, long PlayCount)>(new CommandDefinition("SELECT id, play_count FROM songs", cancellationToken: Cancel));
        return rows.ToDictionary(row => row.Id, row => row.PlayCount);
    }
}
