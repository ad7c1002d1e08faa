using Dapper;
using Mergepoints.Host.Tests.Infrastructure;
using Mergepoints.Middleware.Data;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Counter;

/// <summary>
/// The host runs the counter's write-behind when configured: plays move into <c>songs.play_count</c> every
/// interval and once more at a graceful stop; plays of songs with no row stay in the counter.
/// </summary>
public sealed class CounterWriteBehindTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task Plays_move_into_songs_play_count_and_the_rest_on_stop(DatastoreKind kind)
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var postgres = kind == DatastoreKind.Postgres ? await Databases.CreateAsync(kind) : null;
        var site = await RunningSite.StartAsync(_directory, """{"mounts": [{"path": "/api", "app": "counter"}]}""", new Dictionary<string, string?>
        {
            ["Counter:WriteBehindSeconds"] = "1",
            ["Datastore:Postgres"] = postgres?.PostgresConnectionString,
        });
        var datastore = postgres?.Datastore ?? new Datastore(null, Path.Combine(_directory.Path, "data", "mergepoints.db"), TimeSpan.FromSeconds(10));
        await using (var connection = await datastore.OpenAsync(cancel))
        {
            // The songs table is the mash library's, migrated by the host; two rows as an upload would leave them.
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO songs (id, title, blob_hash, content_type, bytes, origin, created_at)
                VALUES ('a', 'A', @hash, 'audio/wav', 44, 'upload', 0), ('b', 'B', @hash, 'audio/wav', 44, 'upload', 0)
                """,
                new { hash = new string('0', 64) }, cancellationToken: cancel));
        }

        try
        {
            foreach (var song in new[] { "a", "a", "a", "b", "ghost", "ghost" })
            {
                (await site.Client.PostAsync(new Uri($"/api/song/{song}", UriKind.Relative), null, cancel)).EnsureSuccessStatusCode();
            }

            // The database commits first and the counter takes the plays off just after: wait for both. What moved
            // is then off the counter, and the song with no row keeps its plays.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (await PlayCountsAsync(datastore) is var counts
                && await site.Client.GetStringAsync(new Uri("/api/", UriKind.Relative), cancel) is var left
                && !(counts["a"] == 3 && counts["b"] == 1 && left == "ghost=2"))
            {
                Assert.True(DateTime.UtcNow < deadline, $"write-behind did not move the plays in time: a={counts["a"]}, b={counts["b"]}, counter {left}");
                await Task.Delay(200, cancel);
            }

            (await site.Client.PostAsync(new Uri("/api/song/a", UriKind.Relative), null, cancel)).EnsureSuccessStatusCode();
        }
        finally
        {
            await site.DisposeAsync();
        }

        Assert.Equal(4, (await PlayCountsAsync(datastore))["a"]);
    }

    private static async Task<Dictionary<string, long>> PlayCountsAsync(Datastore datastore)
    {
        await using var connection = await datastore.OpenAsync(TestContext.Current.CancellationToken);
        var rows = await connection.QueryAsync<(string Id, long PlayCount)>(new CommandDefinition("SELECT id, play_count FROM songs", cancellationToken: TestContext.Current.CancellationToken));
        return rows.ToDictionary(row => row.Id, row => row.PlayCount);
    }

    public void Dispose() => _directory.Dispose();
}
