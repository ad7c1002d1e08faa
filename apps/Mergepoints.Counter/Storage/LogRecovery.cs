using System.Buffers;
using System.Diagnostics;

namespace Mergepoints.Counter.Storage;

/// <summary>
/// Rebuilds the counts from disk: the newest valid snapshot, then every segment after it. The last segment's
/// tail may be torn by a crash: replay stops at the first record that runs past the end or fails its checksum,
/// and the file is cut there so new appends never land after garbage. Damage anywhere else is not a crash
/// (segments before the last were fsynced whole before the next one began), so it stops start-up instead of
/// silently dropping counts; trailing segments that hold no record do not count as "after" the last. Snapshots are built by the same replay, from the files, up to a segment boundary.
/// </summary>
internal static class LogRecovery
{
    private const int ReadSize = 4 << 20;

    /// <summary>What recovery hands the log writer.</summary>
    public sealed record Result(RecoveryReport Report, FileStream Segment, long SegmentNumber, long SinceSnapshot);

    /// <summary>Start-up: rebuilds <paramref name="table"/>, repairs a torn tail and opens the last segment for appending.</summary>
    public static Result Run(CounterDirectory directory, CountTable table)
    {
        var clock = Stopwatch.StartNew();
        var segments = directory.Segments();
        var (start, snapshotSongs) = LoadSnapshot(directory, table, segments, before: long.MaxValue);
        var replay = Following(directory, segments, start);
        DropEmptyTail(directory, replay);
        long records = 0, dropped = 0, sinceSnapshot = 0;
        foreach (var number in replay)
        {
            var last = number == replay[^1];
            var (valid, length, replayed) = ReplaySegment(directory.SegmentPath(number), table, last);
            records += replayed;
            sinceSnapshot += valid;
            if (valid < length)
            {
                dropped += length - valid;
                Truncate(directory.SegmentPath(number), valid);
            }
        }
        FileStream segment;
        long current;
        if (replay.Count == 0)
        {
            current = start;
            segment = CounterLog.CreateSegment(directory, current);
        }
        else
        {
            current = replay[^1];
            segment = CounterLog.OpenSegment(directory.SegmentPath(current), FileMode.Open);
        }
        try
        {
            if (segment.Length < CounterLog.SegmentMagic.Length)
            {
                // Torn while it was being created: give it its header again.
                segment.SetLength(0);
                segment.Write(CounterLog.SegmentMagic);
                segment.Flush(flushToDisk: true);
            }
            segment.Seek(0, SeekOrigin.End);
            RemoveBefore(directory, start);
            table.EndRecovery();
            return new Result(new RecoveryReport(snapshotSongs, records, dropped, clock.Elapsed), segment, current, sinceSnapshot);
        }
        catch
        {
            segment.Dispose();
            throw;
        }
    }

    /// <summary>
    /// For a snapshot: rebuilds into <paramref name="table"/> the state just before segment <paramref name="end"/>,
    /// from the newest snapshot before it and the segments between. Those are complete, so any damage throws.
    /// </summary>
    public static void ReplayBefore(CounterDirectory directory, CountTable table, long end)
    {
        var segments = directory.Segments().Where(n => n < end).ToList();
        var (start, _) = LoadSnapshot(directory, table, segments, before: end);
        foreach (var number in Following(directory, segments, start))
        {
            ReplaySegment(directory.SegmentPath(number), table, last: false);
        }
    }

    /// <summary>
    /// Removes what snapshot <paramref name="snapshot"/> replaces: older segments and snapshots, and the temp
    /// file of a snapshot a crash interrupted.
    /// </summary>
    public static void RemoveBefore(CounterDirectory directory, long snapshot)
    {
        foreach (var old in directory.Segments().Where(n => n < snapshot))
        {
            File.Delete(directory.SegmentPath(old));
        }
        foreach (var old in directory.Snapshots().Where(n => n < snapshot))
        {
            File.Delete(directory.SnapshotPath(old));
        }
        foreach (var temp in Directory.EnumerateFiles(directory.Path, "snapshot-*.tmp"))
        {
            File.Delete(temp);
        }
        directory.Sync();
    }

    /// <summary>
    /// Removes trailing segments that hold no record (the header or less): a segment whose creation failed, or
    /// that a crash caught just after it was made. The log went on in the segment before it, which is then the
    /// last one, and its torn tail is a torn write, not damage. The first segment to replay is always kept.
    /// </summary>
    private static void DropEmptyTail(CounterDirectory directory, List<long> replay)
    {
        var dropped = false;
        while (replay.Count > 1 && new FileInfo(directory.SegmentPath(replay[^1])).Length <= CounterLog.SegmentMagic.Length)
        {
            File.Delete(directory.SegmentPath(replay[^1]));
            replay.RemoveAt(replay.Count - 1);
            dropped = true;
        }
        if (dropped)
        {
            directory.Sync();
        }
    }

    /// <summary>The segments from <paramref name="start"/> on, which must follow one another without a gap.</summary>
    private static List<long> Following(CounterDirectory directory, List<long> segments, long start)
    {
        var following = segments.Where(n => n >= start).ToList();
        for (var i = 0; i < following.Count; i++)
        {
            if (following[i] != start + i)
            {
                throw new InvalidDataException($"Counter log segment {start + i} is missing in {directory.Path}; the counts after it cannot be rebuilt.");
            }
        }
        return following;
    }

    /// <summary>Loads the newest whole snapshot before <paramref name="before"/>; returns the first segment to replay after it.</summary>
    private static (long Start, int Songs) LoadSnapshot(CounterDirectory directory, CountTable table, List<long> segments, long before)
    {
        var snapshots = directory.Snapshots().Where(n => n < before).ToList();
        for (var i = snapshots.Count - 1; i >= 0; i--)
        {
            if (SnapshotFile.TryLoad(directory, snapshots[i], table, out var songs))
            {
                return (snapshots[i], songs);
            }
        }
        if (segments.Count > 0 && segments[0] != 1)
        {
            throw new InvalidDataException($"No readable snapshot in {directory.Path}, and the log before segment {segments[0]} is gone.");
        }
        return (1, 0);
    }

    /// <summary>Replays one segment; returns how many of its bytes are good, its length, and the records replayed.</summary>
    private static (long Valid, long Length, long Records) ReplaySegment(string path, CountTable table, bool last)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        var length = file.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(ReadSize);
        try
        {
            var filled = ReadFully(file, buffer, 0);
            var magic = CounterLog.SegmentMagic;
            if (filled < magic.Length)
            {
                return last ? (0, length, 0) : throw Damaged(path, 0);
            }
            if (!buffer.AsSpan(0, magic.Length).SequenceEqual(magic))
            {
                throw new InvalidDataException($"{path} is not a counter log segment.");
            }
            long records = 0;
            long consumed = magic.Length;
            var offset = magic.Length;
            while (true)
            {
                var status = RecordFraming.TryRead(buffer.AsSpan(offset, filled - offset), out var type, out var payload, out var size);
                if (status == RecordStatus.Complete)
                {
                    Apply(table, type, payload, path, consumed);
                    records++;
                    offset += size;
                    consumed += size;
                    continue;
                }
                var atEnd = consumed + (filled - offset) == length;
                if (status == RecordStatus.Incomplete && !atEnd && consumed + size <= length)
                {
                    // Move the partial record to the front and read more; grow for a record bigger than the buffer.
                    var partial = filled - offset;
                    if (size > buffer.Length)
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(size);
                        buffer.AsSpan(offset, partial).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }
                    else
                    {
                        buffer.AsSpan(offset, partial).CopyTo(buffer);
                    }
                    filled = ReadFully(file, buffer, partial);
                    offset = 0;
                    continue;
                }
                if (status == RecordStatus.Incomplete && offset == filled)
                {
                    return (consumed, length, records);
                }
                return last ? (consumed, length, records) : throw Damaged(path, consumed);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void Apply(CountTable table, RecordType type, ReadOnlySpan<byte> payload, string path, long offset)
    {
        try
        {
            LogRecords.Apply(table, type, payload);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path} at byte {offset}: {e.Message.TrimEnd('.')}.", e);
        }
        catch (Exception e) when (e is InvalidOperationException or IndexOutOfRangeException or ArgumentException or OverflowException)
        {
            throw new InvalidDataException($"{path} at byte {offset}: a record with a good checksum makes no sense ({e.Message}).", e);
        }
    }

    private static int ReadFully(FileStream file, byte[] buffer, int filled)
    {
        int read;
        while (filled < buffer.Length && (read = file.Read(buffer, filled, buffer.Length - filled)) > 0)
        {
            filled += read;
        }
        return filled;
    }

    private static void Truncate(string path, long length)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read);
        file.SetLength(length);
        file.Flush(flushToDisk: true);
    }

    private static InvalidDataException Damaged(string path, long offset) =>
        new($"{path} is damaged at byte {offset}, and it is not the log's last segment: this is not a torn write. Restore it or remove the counter directory.");
}
