using Mergepoints.Counter.Storage;
using Mergepoints.Counter.WriteBehind;
using Mergepoints.Middleware.Data;
using Mergepoints.Testing;

namespace Mergepoints.Counter.Tests.WriteBehind;

/// <summary>
/// A song reset while a write-behind batch holding it is in flight: before the batch is logged (it is dropped)
/// and after (its plays reach the database, its commit leaves the plays since the reset alone), on both databases.
/// </summary>
public sealed class SongResetDuringFlushTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    private CounterOptions Options => new() { Directory = _directory.Path };

    /// <summary>a once, b twice, c three times.</summary>
    private static async Task PlayAsync(PlayCounts counts)
    {
        foreach (var (song, times) in new[] { ("a", 1), ("b", 2), ("c", 3) })
        {
            for (var play = 0; play < times; play++)
            {
                await counts.IncrementAsync(song, Cancel);
            }
        }
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_song_reset_after_the_batch_is_logged_neither_goes_below_zero_nor_eats_later_plays(DatastoreKind kind)
    {
        await using var database = await SongsDatabase.CreateAsync(kind, "a", "b", "c");
        await using (var counts = await PlayCounts.OpenAsync(Options, Cancel))
        {
            await PlayAsync(counts);
            var writeBehind = new SongsWriteBehind(counts, database.OpenAsync) { BeforeDatabaseCommit = ResetCAndPlayItOnce(counts) };

            var result = await writeBehind.FlushAsync(Cancel);

            // The batch was on its way with c's three plays; the play after the reset stays in the counter.
            Assert.Equal(6, result.Plays);
            Assert.Equal(new Dictionary<string, long> { ["a"] = 1, ["b"] = 2, ["c"] = 3 }, await database.PlayCountsAsync());
            Assert.Equal([new("c", 1)], counts.All());
        }

        await using var reopened = await PlayCounts.OpenAsync(Options, Cancel);
        Assert.Equal([new("c", 1)], reopened.All());
        Assert.Null(reopened.PendingFlush);
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_song_reset_before_the_batch_is_logged_drops_the_batch_and_keeps_later_plays(DatastoreKind kind)
    {
        await using var database = await SongsDatabase.CreateAsync(kind, "a", "b", "c");
        await using (var counts = await PlayCounts.OpenAsync(Options, Cancel))
        {
            await PlayAsync(counts);
            // The batch holds c's three plays from before the reset; one play of c arrives after it.
            var writeBehind = new SongsWriteBehind(counts, database.OpenAsync) { BeforeFlushBegin = ResetCAndPlayItOnce(counts) };

            var dropped = await writeBehind.FlushAsync(Cancel);

            Assert.Equal(0, dropped.Plays);
            Assert.Equal(new Dictionary<string, long> { ["a"] = 0, ["b"] = 0, ["c"] = 0 }, await database.PlayCountsAsync());
            Assert.Equal(0, await database.LedgerRowsAsync());
            Assert.Equal([new("a", 1), new("b", 2), new("c", 1)], counts.All());

            writeBehind.BeforeFlushBegin = null;
            var next = await writeBehind.FlushAsync(Cancel);

            // c's cleared plays never reached the database; the one after the reset did.
            Assert.Equal(4, next.Plays);
            Assert.Equal(new Dictionary<string, long> { ["a"] = 1, ["b"] = 2, ["c"] = 1 }, await database.PlayCountsAsync());
            Assert.Empty(counts.All());
        }

        await using var reopened = await PlayCounts.OpenAsync(Options, Cancel);
        Assert.Empty(reopened.All());
        Assert.Null(reopened.PendingFlush);
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_reset_of_a_song_outside_the_batch_lets_the_batch_through(DatastoreKind kind)
    {
        await using var database = await SongsDatabase.CreateAsync(kind, "a", "b", "c");
        await using var counts = await PlayCounts.OpenAsync(Options, Cancel);
        await PlayAsync(counts);
        await counts.IncrementAsync("no-row", Cancel);
        var writeBehind = new SongsWriteBehind(counts, database.OpenAsync)
        {
            BeforeFlushBegin = _ => counts.ResetSongAsync("no-row", Cancel).AsTask(),
        };

        var result = await writeBehind.FlushAsync(Cancel);

        Assert.Equal(6, result.Plays);
        Assert.Equal(new Dictionary<string, long> { ["a"] = 1, ["b"] = 2, ["c"] = 3 }, await database.PlayCountsAsync());
        Assert.Empty(counts.All());
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_crash_after_a_song_reset_in_flight_settles_the_batch_without_that_song(DatastoreKind kind)
    {
        await using var database = await SongsDatabase.CreateAsync(kind, "a", "b", "c");
        await using (var counts = await PlayCounts.OpenAsync(Options, Cancel))
        {
            await PlayAsync(counts);
            var crashing = new SongsWriteBehind(counts, database.OpenAsync)
            {
                BeforeDatabaseCommit = async seq =>
                {
                    await ResetCAndPlayItOnce(counts)(seq);
                    throw new CrashException();
                },
            };
            await Assert.ThrowsAsync<CrashException>(() => crashing.FlushAsync(Cancel));
        }

        await using var reopened = await PlayCounts.OpenAsync(Options, Cancel);
        var result = await new SongsWriteBehind(reopened, database.OpenAsync).FlushAsync(Cancel);

        // The database never got the batch; c's cleared plays are gone, a and b and c's play after the reset go now.
        Assert.Equal(PendingFlushOutcome.Aborted, result.Settled);
        Assert.Equal(new Dictionary<string, long> { ["a"] = 1, ["b"] = 2, ["c"] = 1 }, await database.PlayCountsAsync());
        Assert.Empty(reopened.All());
    }

    private static Func<long, Task> ResetCAndPlayItOnce(PlayCounts counts) => async _ =>
    {
        await counts.ResetSongAsync("c", Cancel);
        await counts.IncrementAsync("c", Cancel);
    };

    private sealed class CrashException : Exception;
}
