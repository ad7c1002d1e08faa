using Mergepoints.Counter.Storage;
using Mergepoints.Counter.WriteBehind;
using Mergepoints.Middleware.Data;
using Mergepoints.Testing;

namespace Mergepoints.Counter.Tests.WriteBehind;

public sealed class SongsWriteBehindTests : IDisposable
{
    private static readonly string[] Songs = ["a", "b", "c"];

    private readonly TempDirectory _directory = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    private CounterOptions Options => new() { Directory = _directory.Path };

    /// <summary>Plays a 1×, b 2×, c 3×, and once more each on every later call.</summary>
    private static async Task PlayAsync(PlayCounts counts, int times = 1)
    {
        for (var round = 0; round < times; round++)
        {
            for (var i = 0; i < Songs.Length; i++)
            {
                for (var play = 0; play <= i; play++)
                {
                    await counts.IncrementAsync(Songs[i], Cancel);
                }
            }
        }
    }

    /// <summary>Every play exactly once: what the database holds plus what the counter still holds.</summary>
    private static async Task AssertEveryPlayOnceAsync(SongsDatabase database, PlayCounts counts, int rounds)
    {
        var stored = await database.PlayCountsAsync();
        for (var i = 0; i < Songs.Length; i++)
        {
            Assert.Equal((i + 1) * rounds, stored[Songs[i]] + counts.Get(Songs[i]));
        }
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_flush_moves_every_play_into_play_count_and_off_the_counter(DatastoreKind kind)
    {
        await using var database = await SongsDatabase.CreateAsync(kind, Songs);
        await using var counts = await PlayCounts.OpenAsync(Options, Cancel);
        await PlayAsync(counts);
        var writeBehind = new SongsWriteBehind(counts, database.OpenAsync);

        var result = await writeBehind.FlushAsync(Cancel);

        Assert.Equal(new Dictionary<string, long> { ["a"] = 1, ["b"] = 2, ["c"] = 3 }, await database.PlayCountsAsync());
        Assert.Empty(counts.All());
        Assert.Equal((3, 6L, PendingFlushOutcome.None), (result.Songs, result.Plays, result.Settled));

        await PlayAsync(counts);
        var second = await writeBehind.FlushAsync(Cancel);

        Assert.Equal(new Dictionary<string, long> { ["a"] = 2, ["b"] = 4, ["c"] = 6 }, await database.PlayCountsAsync());
        Assert.True(second.Seq > result.Seq);
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task The_ledger_keeps_only_the_newest_batch_of_each_counter(DatastoreKind kind)
    {
        await using var database = await SongsDatabase.CreateAsync(kind, Songs);
        var other = Guid.NewGuid().ToString("D");
        await database.AddLedgerRowAsync(other, 1);
        await using var counts = await PlayCounts.OpenAsync(Options, Cancel);
        var writeBehind = new SongsWriteBehind(counts, database.OpenAsync);

        long last = 0;
        for (var flush = 0; flush < 3; flush++)
        {
            await PlayAsync(counts);
            last = (await writeBehind.FlushAsync(Cancel)).Seq;
        }

        // Only an open batch's row is ever asked for; the rows before it would only grow the table.
        Assert.Equal(
            new List<(string, long)> { (counts.CounterId.ToString("D"), last), (other, 1) }.Order(),
            (await database.LedgerAsync()).Order());
        await AssertEveryPlayOnceAsync(database, counts, rounds: 3);
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_crash_after_the_database_commit_neither_loses_nor_doubles_a_play(DatastoreKind kind)
    {
        await using var database = await SongsDatabase.CreateAsync(kind, Songs);

        var (reopened, storedAtCrash, result) = await CrashThenFlushAgainAsync(database, writeBehind => writeBehind.AfterDatabaseCommit = _ => throw new CrashException());
        await using (reopened)
        {
            // At the crash the database had the plays and the counter still counted them.
            Assert.Equal(6, storedAtCrash);
            Assert.Equal(PendingFlushOutcome.Committed, result.Settled);
            Assert.Empty(reopened.All());
            await AssertEveryPlayOnceAsync(database, reopened, rounds: 1);
        }
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_crash_before_the_database_commit_neither_loses_nor_doubles_a_play(DatastoreKind kind)
    {
        await using var database = await SongsDatabase.CreateAsync(kind, Songs);

        var (reopened, storedAtCrash, result) = await CrashThenFlushAgainAsync(database, writeBehind => writeBehind.BeforeDatabaseCommit = _ => throw new CrashException());
        await using (reopened)
        {
            Assert.Equal(0, storedAtCrash);
            Assert.Equal(PendingFlushOutcome.Aborted, result.Settled);
            Assert.Equal(6, result.Plays);
            Assert.Empty(reopened.All());
            await AssertEveryPlayOnceAsync(database, reopened, rounds: 1);
        }
    }

    /// <summary>
    /// Plays once, lets a flush crash where <paramref name="arm"/> puts the crash, leaves the counter as a crash
    /// would (nothing more is logged), reopens it from disk and flushes again.
    /// </summary>
    private async Task<(PlayCounts Reopened, long StoredAtCrash, WriteBehindResult Result)> CrashThenFlushAgainAsync(
        SongsDatabase database, Action<SongsWriteBehind> arm)
    {
        long storedAtCrash;
        await using (var counts = await PlayCounts.OpenAsync(Options, Cancel))
        {
            await PlayAsync(counts);
            var crashing = new SongsWriteBehind(counts, database.OpenAsync);
            arm(crashing);
            await Assert.ThrowsAsync<CrashException>(() => crashing.FlushAsync(Cancel));
            storedAtCrash = (await database.PlayCountsAsync()).Values.Sum();
            Assert.Equal(6, counts.All().Sum(song => song.Value));
        }
        var reopened = await PlayCounts.OpenAsync(Options, Cancel);
        Assert.NotNull(reopened.PendingFlush);
        return (reopened, storedAtCrash, await new SongsWriteBehind(reopened, database.OpenAsync).FlushAsync(Cancel));
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_failed_flush_is_settled_by_the_next_one_in_the_same_process(DatastoreKind kind)
    {
        await using var database = await SongsDatabase.CreateAsync(kind, Songs);
        await using var counts = await PlayCounts.OpenAsync(Options, Cancel);
        await PlayAsync(counts);
        var failOnce = true;
        var writeBehind = new SongsWriteBehind(counts, database.OpenAsync);
        writeBehind.AfterDatabaseCommit = _ => failOnce ? throw new CrashException() : Task.CompletedTask;
        await Assert.ThrowsAsync<CrashException>(() => writeBehind.FlushAsync(Cancel));
        failOnce = false;

        var result = await writeBehind.FlushAsync(Cancel);

        Assert.Equal(PendingFlushOutcome.Committed, result.Settled);
        Assert.Empty(counts.All());
        await AssertEveryPlayOnceAsync(database, counts, rounds: 1);
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task Plays_that_arrive_during_a_flush_stay_in_the_counter(DatastoreKind kind)
    {
        await using var database = await SongsDatabase.CreateAsync(kind, Songs);
        await using var counts = await PlayCounts.OpenAsync(Options, Cancel);
        await PlayAsync(counts);
        var writeBehind = new SongsWriteBehind(counts, database.OpenAsync)
        {
            BeforeDatabaseCommit = _ => PlayAsync(counts),
            AfterDatabaseCommit = _ => PlayAsync(counts),
        };

        await writeBehind.FlushAsync(Cancel);

        Assert.Equal([new("a", 2), new("b", 4), new("c", 6)], counts.All());
        await AssertEveryPlayOnceAsync(database, counts, rounds: 3);
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task Songs_without_a_row_keep_their_plays_in_the_counter(DatastoreKind kind)
    {
        await using var database = await SongsDatabase.CreateAsync(kind, "a");
        await using var counts = await PlayCounts.OpenAsync(Options, Cancel);
        await PlayAsync(counts);
        var writeBehind = new SongsWriteBehind(counts, database.OpenAsync);

        var result = await writeBehind.FlushAsync(Cancel);

        Assert.Equal(["b", "c"], result.SongsWithoutRow);
        Assert.Equal(new Dictionary<string, long> { ["a"] = 1 }, await database.PlayCountsAsync());
        Assert.Equal([new("b", 2), new("c", 3)], counts.All());
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_reset_during_a_flush_neither_goes_below_zero_nor_eats_later_plays(DatastoreKind kind)
    {
        await using var database = await SongsDatabase.CreateAsync(kind, Songs);
        await using (var counts = await PlayCounts.OpenAsync(Options, Cancel))
        {
            await PlayAsync(counts);
            var writeBehind = new SongsWriteBehind(counts, database.OpenAsync)
            {
                BeforeDatabaseCommit = async _ =>
                {
                    await counts.ResetAsync(Cancel);
                    await counts.IncrementAsync("c", Cancel);
                },
            };

            await writeBehind.FlushAsync(Cancel);

            Assert.Equal(new Dictionary<string, long> { ["a"] = 1, ["b"] = 2, ["c"] = 3 }, await database.PlayCountsAsync());
            Assert.Equal([new("c", 1)], counts.All());
        }

        await using var reopened = await PlayCounts.OpenAsync(Options, Cancel);
        Assert.Equal([new("c", 1)], reopened.All());
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_reset_after_the_counts_are_read_drops_the_batch_and_keeps_later_plays(DatastoreKind kind)
    {
        await using var database = await SongsDatabase.CreateAsync(kind, Songs);
        await using (var counts = await PlayCounts.OpenAsync(Options, Cancel))
        {
            await PlayAsync(counts);
            var writeBehind = new SongsWriteBehind(counts, database.OpenAsync)
            {
                // The batch holds the counts from before the reset; one play arrives after it.
                BeforeFlushBegin = async _ =>
                {
                    await counts.ResetAsync(Cancel);
                    await counts.IncrementAsync("c", Cancel);
                },
            };

            var dropped = await writeBehind.FlushAsync(Cancel);

            // The cleared plays never reach the database; the play after the reset is still counted.
            Assert.Equal(0, dropped.Plays);
            Assert.Equal(new Dictionary<string, long> { ["a"] = 0, ["b"] = 0, ["c"] = 0 }, await database.PlayCountsAsync());
            Assert.Equal(0, await database.LedgerRowsAsync());
            Assert.Equal([new("c", 1)], counts.All());

            writeBehind.BeforeFlushBegin = null;
            var next = await writeBehind.FlushAsync(Cancel);

            Assert.Equal(1, next.Plays);
            Assert.Equal(new Dictionary<string, long> { ["a"] = 0, ["b"] = 0, ["c"] = 1 }, await database.PlayCountsAsync());
            Assert.Empty(counts.All());
        }

        await using var reopened = await PlayCounts.OpenAsync(Options, Cancel);
        Assert.Empty(reopened.All());
        Assert.Null(reopened.PendingFlush);
    }

    [Fact]
    public async Task A_flush_with_nothing_counted_touches_nothing()
    {
        await using var database = await SongsDatabase.CreateAsync(DatastoreKind.Sqlite, Songs);
        await using var counts = await PlayCounts.OpenAsync(Options, Cancel);

        var result = await new SongsWriteBehind(counts, database.OpenAsync).FlushAsync(Cancel);

        Assert.Equal(0, result.Plays);
        Assert.Equal(0, await database.LedgerRowsAsync());
    }

    private sealed class CrashException : Exception;
}
