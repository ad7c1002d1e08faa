using Mergepoints.Counter.Storage;
using Mergepoints.Testing;

namespace Mergepoints.Counter.Tests.Storage;

public sealed class TornTailTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    private CounterOptions Options => new() { Directory = _directory.Path };

    private string Segment => Path.Combine(_directory.Path, "log-000001.bin");

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

    [Theory]
    [InlineData(8)]
    [InlineData(3)]
    [InlineData(0)]
    public async Task A_torn_segment_followed_only_by_an_empty_one_is_still_the_last(int headerBytes)
    {
        // A segment whose creation failed (or was cut by the crash) and the older segment, still written to, torn.
        var (offset, size) = await WriteLogAsync();
        var torn = Segment;
        using (var file = new FileStream(torn, FileMode.Open))
        {
            file.SetLength(offset + size - 1);
        }
        var empty = Path.Combine(_directory.Path, "log-000002.bin");
        File.WriteAllBytes(empty, "MPLOG001"u8[..headerBytes].ToArray());

        await using (var counts = await PlayCounts.OpenAsync(Options, Cancel))
        {
            Assert.Equal([new("kept", 3)], counts.All());
            Assert.False(File.Exists(empty));
            await counts.IncrementAsync("after", Cancel);
        }

        await using var reopened = await PlayCounts.OpenAsync(Options, Cancel);
        Assert.Equal([new("after", 1), new("kept", 3)], reopened.All());
    }

    [Fact]
    public async Task A_damaged_segment_that_is_not_the_last_stops_start_up_with_a_clear_message()
    {
        var (offset, size) = await WriteLogAsync();
        var damaged = Segment;
        FlipByte(offset + size - 1);
        // A good segment after it: the damage cannot be a torn write.
        using var other = new TempDirectory();
        await using (var next = await PlayCounts.OpenAsync(new CounterOptions { Directory = other.Path }, Cancel))
        {
            await next.IncrementAsync("next", Cancel);
        }
        File.Copy(Path.Combine(other.Path, "log-000001.bin"), Path.Combine(_directory.Path, "log-000002.bin"));

        var error = await Assert.ThrowsAsync<InvalidDataException>(async () => await PlayCounts.OpenAsync(Options, Cancel));

        Assert.Contains(damaged, error.Message, StringComparison.Ordinal);
        Assert.Contains("not the log's last segment", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task A_record_of_a_type_this_build_does_not_know_stops_start_up_naming_the_file_and_byte()
    {
        var (offset, size) = await WriteLogAsync();
        // A whole record with a good checksum, of a type a newer build might write.
        var record = new System.Buffers.ArrayBufferWriter<byte>();
        RecordWriter.Start(record, 0).Finish(record, (RecordType)7);
        using (var file = new FileStream(Segment, FileMode.Append))
        {
            file.Write(record.WrittenSpan);
        }

        var error = await Assert.ThrowsAsync<InvalidDataException>(async () => await PlayCounts.OpenAsync(Options, Cancel));

        Assert.Equal($"{Segment} at byte {offset + size}: a record of type 7, which this build does not know: a newer Mergepoints wrote this log, and an older one cannot read it.", error.Message);
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
