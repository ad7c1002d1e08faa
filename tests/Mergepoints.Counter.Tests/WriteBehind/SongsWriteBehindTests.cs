using System.Globalization;
using Mergepoints.Counter.Storage;
using Mergepoints.Counter.WriteBehind;
using Mergepoints.Middleware.Data;
using Mergepoints.Testing;

namespace Mergepoints.Counter.Tests.WriteBehind;

/// <summary>
/// Write-behind into a real songs table, on both databases: every play exactly once across crashes, failures and
/// the plays that arrive meanwhile; a reset of every count or of one song while a batch is read or on its way.
/// </summary>
public sealed class SongsWriteBehindTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    private CounterOptions Options => new() { Directory = _directory.Path };

    /// <summary>Every play exactly once: what the database holds plus what the counter still holds.</summary>
    private static async Task AssertEveryPlayOnceAsync(SongsDatabase database, PlayCounts counts, int rounds)
    {
        var stored = await database.PlayCountsAsync();
        for (var i = 0; i < ThreeSongs.Ids.Length; i++)
        {
            Assert.Equal((i + 1) * rounds, stored[ThreeSongs.Ids[i]] + counts.Get(ThreeSongs.Ids[i]));
        }
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_flush_moves_every_play_into_play_count_and_off_the_counter(DatastoreKind kind)
    {
        await using var database = await SongsDatabase.CreateAsync(kind, ThreeSongs.Ids);
        await using var counts = await PlayCounts.OpenAsync(Options, Cancel);
        await ThreeSongs.PlayAsync(counts);
        var writeBehind = new SongsWriteBehind(counts, database.OpenAsync);

        var result = await writeBehind.FlushAsync(Cancel);

        Assert.Equal(new Dictionary<string, long> { ["a"] = 1, ["b"] = 2, ["c"] = 3 }, await database.PlayCountsAsync());
        Assert.Empty(counts.All());
        Assert.Equal((3, 6L, PendingFlushOutcome.None), (result.Songs, result.Plays, result.Settled));

        await ThreeSongs.PlayAsync(counts);
        var second = await writeBehind.FlushAsync(Cancel);

        Assert.Equal(new Dictionary<string, long> { ["a"] = 2, ["b"] = 4, ["c"] = 6 }, await database.PlayCountsAsync());
        Assert.True(second.Seq > result.Seq);
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_flush_of_many_songs_moves_each_once_and_names_every_song_without_a_row(DatastoreKind kind)
    {
        // More songs than one round trip carries (500 where the provider batches), every 100th without a row.
        var ids = Enumerable.Range(0, 1_201).Select(i => $"song-{i}").ToArray();
        var withoutRow = ids.Where((_, i) => i % 100 == 0).ToArray();
        await using var database = await SongsDatabase.CreateAsync(kind, [.. ids.Except(withoutRow)]);
        await using var counts = await PlayCounts.OpenAsync(Options, Cancel);
        // All at once: the counter's group commit writes them in a few batches rather than an fsync each.
        await Task.WhenAll(ids.SelectMany((id, i) => Enumerable.Range(0, i % 3 + 1).Select(_ => counts.IncrementAsync(id, Cancel).AsTask())));

        var result = await new SongsWriteBehind(counts, database.OpenAsync).FlushAsync(Cancel);

        var stored = await database.PlayCountsAsync();
        Assert.Equal(ids.Length - withoutRow.Length, stored.Count);
        Assert.All(ids.Except(withoutRow), id => Assert.Equal(int.Parse(id[5..], CultureInfo.InvariantCulture) % 3 + 1, stored[id]));
        Assert.Equal(withoutRow.Order(StringComparer.Ordinal), result.SongsWithoutRow.Order(StringComparer.Ordinal));
        Assert.Equal(withoutRow.Select(id => new KeyValuePair<string, long>(id, int.Parse(id[5..], CultureInfo.InvariantCulture) % 3 + 1)).OrderBy(p => p.Key, StringComparer.Ordinal), counts.All().OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task The_ledger_keeps_only_the_newest_batch_of_each_counter(DatastoreKind kind)
    {
        await using var database = await SongsDatabase.CreateAsync(kind, ThreeSongs.Ids);
        var other = Guid.NewGuid().ToString("D");
        await database.AddLedgerRowAsync(other, 1);
        await using var counts = await PlayCounts.OpenAsync(Options, Cancel);
        var writeBehind = new SongsWriteBehind(counts, database.OpenAsync);

        long last = 0;
        for (var flush = 0; flush < 3; flush++)
        {
            await ThreeSongs.PlayAsync(counts);
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
        await using var database = await SongsDatabase.CreateAsync(kind, ThreeSongs.Ids);

        var (reopened, storedAtCrash, countedAtCrash) = await CrashAsync(database, (writeBehind, _) => writeBehind.AfterDatabaseCommit = Crash());
        await using (reopened)
        {
            var result = await new SongsWriteBehind(reopened, database.OpenAsync).FlushAsync(Cancel);

            // At the crash the database had the plays and the counter still counted them.
            Assert.Equal((6, 6), (storedAtCrash.Values.Sum(), countedAtCrash.Sum(song => song.Value)));
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
        await using var database = await SongsDatabase.CreateAsync(kind, ThreeSongs.Ids);

        var (reopened, storedAtCrash, countedAtCrash) = await CrashAsync(database, (writeBehind, _) => writeBehind.BeforeDatabaseCommit = Crash());
        await using (reopened)
        {
            var result = await new SongsWriteBehind(reopened, database.OpenAsync).FlushAsync(Cancel);

            Assert.Equal((0, 6), (storedAtCrash.Values.Sum(), countedAtCrash.Sum(song => song.Value)));
            Assert.Equal(PendingFlushOutcome.Aborted, result.Settled);
            Assert.Equal(6, result.Plays);
            Assert.Empty(reopened.All());
            await AssertEveryPlayOnceAsync(database, reopened, rounds: 1);
        }
    }

    /// <summary>
    /// Plays a, b and c, lets a flush crash where <paramref name="arm"/> puts the crash, leaves the counter as a
    /// crash would (nothing more is logged), and reopens it from disk, its batch still pending. Returns what the
    /// database and the counter held at the crash.
    /// </summary>
    private async Task<(PlayCounts Reopened, Dictionary<string, long> StoredAtCrash, IReadOnlyList<KeyValuePair<string, long>> CountedAtCrash)> CrashAsync(
        SongsDatabase database, Action<SongsWriteBehind, PlayCounts> arm)
    {
        Dictionary<string, long> storedAtCrash;
        IReadOnlyList<KeyValuePair<string, long>> countedAtCrash;
        await using (var counts = await PlayCounts.OpenAsync(Options, Cancel))
        {
            await ThreeSongs.PlayAsync(counts);
            var crashing = new SongsWriteBehind(counts, database.OpenAsync);
            arm(crashing, counts);
            await Assert.ThrowsAsync<CrashException>(() => crashing.FlushAsync(Cancel));
            storedAtCrash = await database.PlayCountsAsync();
            countedAtCrash = counts.All();
        }
        var reopened = await PlayCounts.OpenAsync(Options, Cancel);
        Assert.NotNull(reopened.PendingFlush);
        return (reopened, storedAtCrash, countedAtCrash);
    }

    /// <summary>A hook that does <paramref name="first"/>, if any, and then crashes.</summary>
    private static Func<long, Task> Crash(Func<long, Task>? first = null) => async seq =>
    {
        if (first is not null)
        {
            await first(seq);
        }
        throw new CrashException();
    };

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_failed_flush_is_settled_by_the_next_one_in_the_same_process(DatastoreKind kind)
    {
        await using var database = await SongsDatabase.CreateAsync(kind, ThreeSongs.Ids);
        await using var counts = await PlayCounts.OpenAsync(Options, Cancel);
        await ThreeSongs.PlayAsync(counts);
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
        await using var database = await SongsDatabase.CreateAsync(kind, ThreeSongs.Ids);
        await using var counts = await PlayCounts.OpenAsync(Options, Cancel);
        await ThreeSongs.PlayAsync(counts);
        var writeBehind = new SongsWriteBehind(counts, database.OpenAsync)
        {
            BeforeDatabaseCommit = _ => ThreeSongs.PlayAsync(counts),
            AfterDatabaseCommit = _ => ThreeSongs.PlayAsync(counts),
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
        await ThreeSongs.PlayAsync(counts);
        var writeBehind = new SongsWriteBehind(counts, database.OpenAsync);

        var result = await writeBehind.FlushAsync(Cancel);

        Assert.Equal(["b", "c"], result.SongsWithoutRow);
        Assert.Equal(new Dictionary<string, long> { ["a"] = 1 }, await database.PlayCountsAsync());
        Assert.Equal([new("b", 2), new("c", 3)], counts.All());
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite, false)]
    [InlineData(DatastoreKind.Sqlite, true)]
    [InlineData(DatastoreKind.Postgres, false)]
    [InlineData(DatastoreKind.Postgres, true)]
    public async Task A_reset_after_the_batch_is_logged_neither_goes_below_zero_nor_eats_later_plays(DatastoreKind kind, bool oneSong)
    {
        await using var database = await SongsDatabase.CreateAsync(kind, ThreeSongs.Ids);
        await using (var counts = await PlayCounts.OpenAsync(Options, Cancel))
        {
            await ThreeSongs.PlayAsync(counts);
            var writeBehind = new SongsWriteBehind(counts, database.OpenAsync) { BeforeDatabaseCommit = ResetThenPlayC(counts, oneSong) };

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
    [InlineData(DatastoreKind.Sqlite, false)]
    [InlineData(DatastoreKind.Sqlite, true)]
    [InlineData(DatastoreKind.Postgres, false)]
    [InlineData(DatastoreKind.Postgres, true)]
    public async Task A_reset_after_the_counts_are_read_drops_the_batch_and_the_flush_reads_again(DatastoreKind kind, bool oneSong)
    {
        await using var database = await SongsDatabase.CreateAsync(kind, ThreeSongs.Ids);
        await using (var counts = await PlayCounts.OpenAsync(Options, Cancel))
        {
            await ThreeSongs.PlayAsync(counts);
            await counts.IncrementAsync("no-row", Cancel);
            // The first batch holds the counts from before the reset; one play of c arrives after it.
            var writeBehind = new SongsWriteBehind(counts, database.OpenAsync);
            var reset = ResetThenPlayC(counts, oneSong);
            writeBehind.BeforeFlushBegin = seq =>
            {
                writeBehind.BeforeFlushBegin = null;
                return reset(seq);
            };

            var result = await writeBehind.FlushAsync(Cancel);

            // The cleared plays never reach the database; every play that still counts does, in this one flush,
            // which says what it moved and which song has no row.
            Assert.Equal(oneSong ? 4 : 1, result.Plays);
            Assert.Equal(oneSong ? ["no-row"] : [], result.SongsWithoutRow);
            Assert.Equal(new Dictionary<string, long> { ["a"] = oneSong ? 1 : 0, ["b"] = oneSong ? 2 : 0, ["c"] = 1 }, await database.PlayCountsAsync());
            Assert.Equal(1, await database.LedgerRowsAsync());
            IReadOnlyList<KeyValuePair<string, long>> left = oneSong ? [new("no-row", 1)] : [];
            Assert.Equal(left, counts.All());
        }

        await using var reopened = await PlayCounts.OpenAsync(Options, Cancel);
        Assert.Null(reopened.PendingFlush);
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task Resets_that_keep_refusing_the_batch_fail_the_flush_and_lose_nothing(DatastoreKind kind)
    {
        await using var database = await SongsDatabase.CreateAsync(kind, ThreeSongs.Ids);
        await using var counts = await PlayCounts.OpenAsync(Options, Cancel);
        await ThreeSongs.PlayAsync(counts);
        var writeBehind = new SongsWriteBehind(counts, database.OpenAsync) { BeforeFlushBegin = ResetThenPlayC(counts, oneSong: true) };

        var failure = await Assert.ThrowsAsync<WriteBehindException>(() => writeBehind.FlushAsync(Cancel));

        Assert.StartsWith("Resets kept coming", failure.Message, StringComparison.Ordinal);
        Assert.Equal(new Dictionary<string, long> { ["a"] = 0, ["b"] = 0, ["c"] = 0 }, await database.PlayCountsAsync());
        Assert.Equal(0, await database.LedgerRowsAsync());
        Assert.Equal([new("a", 1), new("b", 2), new("c", 1)], counts.All());

        writeBehind.BeforeFlushBegin = null;
        Assert.Equal(4, (await writeBehind.FlushAsync(Cancel)).Plays);
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_reset_of_a_song_outside_the_batch_lets_the_batch_through(DatastoreKind kind)
    {
        await using var database = await SongsDatabase.CreateAsync(kind, ThreeSongs.Ids);
        await using var counts = await PlayCounts.OpenAsync(Options, Cancel);
        await ThreeSongs.PlayAsync(counts);
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
    public async Task A_crash_before_the_commit_after_a_song_reset_settles_the_batch_without_that_song(DatastoreKind kind)
    {
        await using var database = await SongsDatabase.CreateAsync(kind, ThreeSongs.Ids);

        var (reopened, _, _) = await CrashAsync(database, (writeBehind, counts) => writeBehind.BeforeDatabaseCommit = Crash(ResetThenPlayC(counts, oneSong: true)));
        await using (reopened)
        {
            var result = await new SongsWriteBehind(reopened, database.OpenAsync).FlushAsync(Cancel);

            // The database never got the batch; c's cleared plays are gone, a and b and c's play after the reset go now.
            Assert.Equal(PendingFlushOutcome.Aborted, result.Settled);
            Assert.Equal(new Dictionary<string, long> { ["a"] = 1, ["b"] = 2, ["c"] = 1 }, await database.PlayCountsAsync());
            Assert.Empty(reopened.All());
        }
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_crash_after_the_commit_after_a_song_reset_settles_the_batch_without_eating_the_play_since(DatastoreKind kind)
    {
        await using var database = await SongsDatabase.CreateAsync(kind, ThreeSongs.Ids);

        var (reopened, storedAtCrash, countedAtCrash) = await CrashAsync(database, (writeBehind, counts) => writeBehind.AfterDatabaseCommit = Crash(ResetThenPlayC(counts, oneSong: true)));
        await using (reopened)
        {
            // The database had the whole batch, c's three plays included; the counter only c's play since the reset.
            Assert.Equal(new Dictionary<string, long> { ["a"] = 1, ["b"] = 2, ["c"] = 3 }, storedAtCrash);
            Assert.Equal([new("a", 1), new("b", 2), new("c", 1)], countedAtCrash);
            Assert.Equal(new Dictionary<string, long> { ["a"] = 1, ["b"] = 2 }, reopened.PendingFlush!.ToTakeOff.ToDictionary());

            var result = await new SongsWriteBehind(reopened, database.OpenAsync).FlushAsync(Cancel);

            // The ledger says committed: a and b come off, c's play since the reset is not eaten and goes now, once.
            Assert.Equal((PendingFlushOutcome.Committed, 1L), (result.Settled, result.Plays));
            Assert.Equal(new Dictionary<string, long> { ["a"] = 1, ["b"] = 2, ["c"] = 4 }, await database.PlayCountsAsync());
            Assert.Empty(reopened.All());
            Assert.All(ThreeSongs.Ids, song => Assert.Equal(0, reopened.Get(song)));
        }
    }

    /// <summary>A hook that resets song c (or every count) and then plays c once: a play the reset must not eat.</summary>
    private static Func<long, Task> ResetThenPlayC(PlayCounts counts, bool oneSong) => async _ =>
    {
        if (oneSong)
        {
            await counts.ResetSongAsync("c", Cancel);
        }
        else
        {
            await counts.ResetAsync(Cancel);
        }
        await counts.IncrementAsync("c", Cancel);
    };

    [Fact]
    public async Task A_flush_with_nothing_counted_touches_nothing()
    {
        await using var database = await SongsDatabase.CreateAsync(DatastoreKind.Sqlite, ThreeSongs.Ids);
        await using var counts = await PlayCounts.OpenAsync(Options, Cancel);

        var result = await new SongsWriteBehind(counts, database.OpenAsync).FlushAsync(Cancel);

        Assert.Equal(0, result.Plays);
        Assert.Equal(0, await database.LedgerRowsAsync());
    }

    private sealed class CrashException : Exception;
}
