using Mergepoints.Counter.Storage;
using Mergepoints.Testing;

namespace Mergepoints.Counter.Tests.Storage;

public sealed class SnapshotTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    private CounterOptions Options => new() { Directory = _directory.Path, SnapshotAfterBytes = 2000 };

    private string[] Files(string pattern) => [.. Directory.EnumerateFiles(_directory.Path, pattern).Select(Path.GetFileName).Order()!];

    private static async Task PlayManyAsync(PlayCounts counts)
    {
        for (var i = 0; i < 500; i++)
        {
            await counts.IncrementAsync($"song-{i % 37}", Cancel);
        }
    }

    [Fact]
    public async Task A_grown_log_is_replaced_by_a_snapshot_and_reopens_to_the_same_counts()
    {
        IReadOnlyList<KeyValuePair<string, long>> before;
        await using (var counts = await PlayCounts.OpenAsync(Options, Cancel))
        {
            await PlayManyAsync(counts);
            before = counts.All();
            Assert.True(counts.Statistics.Snapshots > 0);
        }

        var snapshot = Assert.Single(Files("snapshot-*.bin"));
        var segments = Files("log-*.bin");
        Assert.Equal("log-" + snapshot["snapshot-".Length..], segments[0]);
        Assert.Empty(Files("*.tmp"));

        await using var reopened = await PlayCounts.OpenAsync(Options, Cancel);
        Assert.Equal(before, reopened.All());
        Assert.Equal(37, reopened.Recovery.SnapshotSongs);
        Assert.True(reopened.Recovery.ReplayedRecords < 500);
    }

    [Fact]
    public async Task A_snapshot_carries_a_reset()
    {
        await using (var counts = await PlayCounts.OpenAsync(Options, Cancel))
        {
            await PlayManyAsync(counts);
            await counts.ResetAsync(Cancel);
            await PlayManyAsync(counts);
            await counts.ResetAsync(Cancel);
            await counts.IncrementAsync("after", Cancel);
        }

        await using var reopened = await PlayCounts.OpenAsync(Options, Cancel);

        Assert.Equal([new("after", 1)], reopened.All());
    }

    [Fact]
    public async Task A_snapshot_carries_a_pending_flush_and_the_flush_seq()
    {
        var flush = new PendingFlush(7, new Dictionary<string, long> { ["song-1"] = 5 });
        await using (var counts = await PlayCounts.OpenAsync(Options, Cancel))
        {
            await PlayManyAsync(counts);
            await counts.BeginFlushAsync(flush);
            await PlayManyAsync(counts);
            Assert.True(counts.Statistics.Snapshots > 1);
        }

        await using var reopened = await PlayCounts.OpenAsync(Options, Cancel);

        Assert.Equal(7, reopened.LastFlushSeq);
        var pending = Assert.IsType<PendingFlush>(reopened.PendingFlush);
        Assert.Equal(flush.Seq, pending.Seq);
        Assert.Equal(flush.Deltas, pending.Deltas);
    }

    [Fact]
    public async Task A_damaged_snapshot_whose_log_is_gone_stops_start_up_instead_of_losing_counts()
    {
        await using (var counts = await PlayCounts.OpenAsync(Options, Cancel))
        {
            await PlayManyAsync(counts);
        }
        var snapshot = Path.Combine(_directory.Path, Assert.Single(Files("snapshot-*.bin")));
        var bytes = File.ReadAllBytes(snapshot);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(snapshot, bytes);

        var error = await Assert.ThrowsAsync<InvalidDataException>(async () => await PlayCounts.OpenAsync(Options, Cancel));
        Assert.Contains("snapshot", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Snapshots_taken_while_callers_play_lose_and_double_nothing()
    {
        await using (var counts = await PlayCounts.OpenAsync(Options, Cancel))
        {
            await Task.WhenAll(Enumerable.Range(0, 64).Select(caller => Task.Run(async () =>
            {
                for (var play = 0; play < 200; play++)
                {
                    await counts.IncrementAsync($"song-{(caller + play) % 50}", Cancel);
                }
            }, Cancel)));
            Assert.True(counts.Statistics.Snapshots > 1);
        }

        await using var reopened = await PlayCounts.OpenAsync(Options, Cancel);

        Assert.Equal(50, reopened.All().Count);
        Assert.All(reopened.All(), song => Assert.Equal(64 * 200 / 50, song.Value));
    }

    [Fact]
    public async Task Segments_a_crash_left_behind_a_snapshot_are_removed_not_replayed()
    {
        await using (var counts = await PlayCounts.OpenAsync(Options, Cancel))
        {
            await PlayManyAsync(counts);
        }
        using var other = new TempDirectory();
        await using (var stray = await PlayCounts.OpenAsync(new CounterOptions { Directory = other.Path }, Cancel))
        {
            await stray.IncrementAsync("stray", Cancel);
        }
        var leftover = Path.Combine(_directory.Path, "log-000001.bin");
        File.Copy(Path.Combine(other.Path, "log-000001.bin"), leftover);

        await using var reopened = await PlayCounts.OpenAsync(Options, Cancel);

        Assert.Equal(0, reopened.Get("stray"));
        Assert.Equal(500, reopened.All().Sum(song => song.Value));
        Assert.False(File.Exists(leftover));
    }

    [Fact]
    public async Task A_segment_that_cannot_be_created_costs_the_snapshot_and_no_play()
    {
        // A directory where the next segment should go: creating it fails as a permission problem would.
        Directory.CreateDirectory(Path.Combine(_directory.Path, "log-000002.bin"));
        await using (var counts = await PlayCounts.OpenAsync(Options, Cancel))
        {
            await PlayManyAsync(counts);

            Assert.Equal(0, counts.Statistics.Snapshots);
            Assert.True(counts.Statistics.SnapshotFailures > 0);
            Assert.Equal(1, await counts.IncrementAsync("after", Cancel));
        }

        await using var reopened = await PlayCounts.OpenAsync(Options, Cancel);
        Assert.Equal(501, reopened.All().Sum(song => song.Value));
    }
}
