using Mergepoints.Counter.Storage;
using Mergepoints.Testing;

namespace Mergepoints.Counter.Tests.Storage;

public sealed class TornTailTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    private CounterOptions Options => new() { Directory = _directory.Path };

    private string Segment => Directory.EnumerateFiles(_directory.Path, "log-*.bin").Single();

    /// <summary>Plays "kept" three times, then "last" once in a record of its own, and returns that record's offset and size.</summary>
    private async Task<(long Offset, long Size)> WriteLogAsync()
    {
        await using var counts = await PlayCounts.OpenAsync(Options, Cancel);
        for (var i = 0; i < 3; i++)
        {
            await counts.IncrementAsync("kept", Cancel);
        }
        var before = new FileInfo(Segment).Length;
        await counts.IncrementAsync("last", Cancel);
        return (before, new FileInfo(Segment).Length - before);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(-1)]
    public async Task A_record_cut_short_is_dropped_and_the_counts_before_it_stay(int keep)
    {
        var (offset, size) = await WriteLogAsync();
        var cut = offset + (keep > 0 ? keep : size + keep);
        using (var file = new FileStream(Segment, FileMode.Open))
        {
            file.SetLength(cut);
        }

        await using var counts = await PlayCounts.OpenAsync(Options, Cancel);

        Assert.Equal(3, counts.Get("kept"));
        Assert.Equal(0, counts.Get("last"));
        Assert.Equal(cut - offset, counts.Recovery.DroppedBytes);
        Assert.Equal(offset, new FileInfo(Segment).Length);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(6)]
    [InlineData(-1)]
    public async Task A_corrupted_last_record_is_dropped_and_the_counts_before_it_stay(int at)
    {
        var (offset, size) = await WriteLogAsync();
        FlipByte(offset + (at >= 0 ? at : size + at));

        await using var counts = await PlayCounts.OpenAsync(Options, Cancel);

        Assert.Equal(3, counts.Get("kept"));
        Assert.Equal(0, counts.Get("last"));
        Assert.Equal(size, counts.Recovery.DroppedBytes);
    }

    [Fact]
    public async Task Plays_after_a_recovered_tail_survive_the_next_reopen()
    {
        var (offset, size) = await WriteLogAsync();
        FlipByte(offset + size - 1);
        await using (var counts = await PlayCounts.OpenAsync(Options, Cancel))
        {
            await counts.IncrementAsync("after", Cancel);
            await counts.IncrementAsync("kept", Cancel);
        }

        await using var reopened = await PlayCounts.OpenAsync(Options, Cancel);

        Assert.Equal([new("after", 1), new("kept", 4)], reopened.All());
        Assert.Equal(0, reopened.Recovery.DroppedBytes);
    }

    private void FlipByte(long offset)
    {
        using var file = new FileStream(Segment, FileMode.Open);
        file.Position = offset;
        var b = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(b ^ 0x5A));
    }
}
