using System.Globalization;
using Mergepoints.Counter.Storage;
using Mergepoints.Testing;

namespace Mergepoints.Counter.Tests.Storage;

/// <summary>One song's count to zero: live, after a restart from the log, and from a snapshot.</summary>
public sealed class SongResetTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    private CounterOptions Options(Durability durability = Durability.Fsync, long snapshotAfterBytes = 64L << 20) =>
        new() { Directory = _directory.Path, Durability = durability, SnapshotAfterBytes = snapshotAfterBytes };

    private static async Task PlayAsync(PlayCounts counts, string songId, int times)
    {
        for (var play = 0; play < times; play++)
        {
            await counts.IncrementAsync(songId, Cancel);
        }
    }

    [Theory]
    [InlineData(Durability.Fsync)]
    [InlineData(Durability.Batch)]
    [InlineData(Durability.Memory)]
    public async Task Resetting_a_song_clears_it_and_leaves_the_others(Durability durability)
    {
        await using var counts = await PlayCounts.OpenAsync(Options(durability), Cancel);
        await PlayAsync(counts, "a", 2);
        await PlayAsync(counts, "b", 1);

        await counts.ResetSongAsync("a", Cancel);

        Assert.Equal(0, counts.Get("a"));
        Assert.Equal([new("b", 1)], counts.All());
        Assert.Equal(1, await counts.IncrementAsync("a", Cancel));
    }

    [Fact]
    public async Task Resetting_a_song_never_played_changes_nothing()
    {
        await using var counts = await PlayCounts.OpenAsync(Options(), Cancel);
        await PlayAsync(counts, "a", 1);

        await counts.ResetSongAsync("never", Cancel);

        Assert.Equal([new("a", 1)], counts.All());
    }

    [Fact]
    public async Task A_song_id_the_log_cannot_hold_is_refused_and_nothing_is_logged()
    {
        await using var counts = await PlayCounts.OpenAsync(Options(), Cancel);
        var logBefore = LogBytes();

        await Assert.ThrowsAsync<ArgumentException>(async () => await counts.ResetSongAsync(new string('é', 65), Cancel));
        await Assert.ThrowsAsync<ArgumentException>(async () => await counts.ResetSongAsync("", Cancel));

        Assert.Equal(logBefore, LogBytes());
    }

    [Theory]
    [InlineData(Durability.Fsync)]
    [InlineData(Durability.Batch)]
    public async Task A_song_reset_is_replayed_from_the_log_after_a_restart(Durability durability)
    {
        await using (var counts = await PlayCounts.OpenAsync(Options(durability), Cancel))
        {
            await PlayAsync(counts, "a", 3);
            await PlayAsync(counts, "b", 2);
            await counts.ResetSongAsync("a", Cancel);
            await PlayAsync(counts, "a", 1);
            await counts.ResetSongAsync("b", Cancel);
        }

        await using var reopened = await PlayCounts.OpenAsync(Options(durability), Cancel);

        Assert.Equal([new("a", 1)], reopened.All());
        Assert.Equal(0, reopened.Recovery.DroppedBytes);
    }

    [Fact]
    public async Task A_snapshot_taken_after_a_song_reset_carries_it()
    {
        IReadOnlyList<KeyValuePair<string, long>> before;
        long resetIn;
        await using (var counts = await PlayCounts.OpenAsync(Options(snapshotAfterBytes: 2000), Cancel))
        {
            await PlayManyAsync(counts);
            await counts.ResetSongAsync("song-1", Cancel);
            await PlayAsync(counts, "song-2", 1);
            await counts.ResetSongAsync("song-2", Cancel);
            await PlayAsync(counts, "song-2", 1);
            resetIn = NewestSegment();
            await PlayUntilSnapshotCoversAsync(counts, resetIn);
            before = counts.All();
        }

        await using var reopened = await PlayCounts.OpenAsync(Options(snapshotAfterBytes: 2000), Cancel);

        Assert.Equal(before, reopened.All());
        Assert.Equal(0, reopened.Get("song-1"));
        Assert.Equal(1, reopened.Get("song-2"));
        // The segment that held the resets is gone: only the snapshot carried them.
        Assert.False(File.Exists(Path.Combine(_directory.Path, $"log-{resetIn:D6}.bin")));
    }

    [Fact]
    public async Task A_snapshot_carries_a_pending_flush_without_the_song_reset_since()
    {
        long resetIn;
        await using (var counts = await PlayCounts.OpenAsync(Options(snapshotAfterBytes: 2000), Cancel))
        {
            await PlayManyAsync(counts);
            await counts.BeginFlushAsync(new PendingFlush(7, new Dictionary<string, long> { ["song-1"] = 5, ["song-2"] = 3 }));
            await counts.ResetSongAsync("song-1", Cancel);
            resetIn = NewestSegment();
            await PlayUntilSnapshotCoversAsync(counts, resetIn);
        }

        await using var reopened = await PlayCounts.OpenAsync(Options(snapshotAfterBytes: 2000), Cancel);

        Assert.False(File.Exists(Path.Combine(_directory.Path, $"log-{resetIn:D6}.bin")));
        var pending = Assert.IsType<PendingFlush>(reopened.PendingFlush);
        Assert.Equal(7, pending.Seq);
        Assert.Equal(new Dictionary<string, long> { ["song-2"] = 3 }, pending.Deltas);
    }

    [Fact]
    public async Task A_pending_flush_replayed_from_the_log_comes_back_without_the_song_reset_since()
    {
        await using (var counts = await PlayCounts.OpenAsync(Options(), Cancel))
        {
            await PlayAsync(counts, "a", 5);
            await PlayAsync(counts, "b", 3);
            await counts.BeginFlushAsync(new PendingFlush(1, new Dictionary<string, long> { ["a"] = 5, ["b"] = 3 }));
            await counts.ResetSongAsync("a", Cancel);
            await PlayAsync(counts, "a", 1);
        }

        await using var reopened = await PlayCounts.OpenAsync(Options(), Cancel);
        await reopened.CommitFlushAsync(1);

        // The batch's commit takes b's plays off and leaves a's play after the reset alone.
        Assert.Equal([new("a", 1)], reopened.All());
    }

    [Fact]
    public async Task Song_resets_are_remembered_only_while_a_flush_reads_the_counts()
    {
        await using (var counts = await PlayCounts.OpenAsync(Options(), Cancel))
        {
            // No datastore, or automatic flushes off: nothing ever reads for a flush, and the resets must not pile up.
            for (var i = 0; i < 50; i++)
            {
                await PlayAsync(counts, $"song-{i}", 1);
                await counts.ResetSongAsync($"song-{i}", Cancel);
            }
            Assert.Equal(0, counts.SongsResetDuringFlushRead);

            counts.CountsToFlush();
            await counts.ResetSongAsync("song-1", Cancel);
            Assert.Equal(1, counts.SongsResetDuringFlushRead);
            counts.EndFlushRead();
            Assert.Equal(0, counts.SongsResetDuringFlushRead);
        }

        // Nor does replaying the reset records at start-up remember them.
        await using var reopened = await PlayCounts.OpenAsync(Options(), Cancel);
        Assert.Equal(0, reopened.SongsResetDuringFlushRead);
    }

    private static async Task PlayManyAsync(PlayCounts counts)
    {
        for (var i = 0; i < 500; i++)
        {
            await counts.IncrementAsync($"song-{i % 37}", Cancel);
        }
    }

    /// <summary>Plays on until a snapshot replaces segment <paramref name="segment"/> (snapshots are written in the background).</summary>
    private async Task PlayUntilSnapshotCoversAsync(PlayCounts counts, long segment)
    {
        await Eventually.ReadAsync(async () =>
        {
            await PlayAsync(counts, "filler", 150);
            return Numbers("snapshot-*.bin").DefaultIfEmpty().Max();
        }, newest => newest > segment, $"a snapshot after segment {segment}");
    }

    private long NewestSegment() => Numbers("log-*.bin").Max();

    private IEnumerable<long> Numbers(string pattern) =>
        Directory.EnumerateFiles(_directory.Path, pattern)
            .Select(path => long.Parse(Path.GetFileNameWithoutExtension(path).Split('-')[1], CultureInfo.InvariantCulture));

    private long LogBytes() => Directory.EnumerateFiles(_directory.Path, "log-*.bin").Sum(path => new FileInfo(path).Length);
}
