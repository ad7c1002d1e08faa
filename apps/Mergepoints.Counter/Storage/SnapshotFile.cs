using System.Buffers;

namespace Mergepoints.Counter.Storage;

/// <summary>
/// A snapshot: the counts and flush bookkeeping as they stood just before a log segment, so recovery reads
/// one file and the segments after it instead of the whole history. It is a magic number and then records in
/// the log's framing: a header, the songs in chunks, the pending flush if any, and an end record; a file
/// without its end record, or with a bad checksum anywhere, is not a snapshot.
/// </summary>
internal static class SnapshotFile
{
    private const int SongsPerChunk = 4096;

    private static ReadOnlySpan<byte> Magic => "MPSNAP01"u8;

    /// <summary>What a snapshot holds.</summary>
    public sealed record State(long Segment, long LastFlushSeq, PendingFlush? PendingFlush, KeyValuePair<string, long>[] Songs);

    /// <summary>Writes <paramref name="state"/> as <c>snapshot-N.bin</c>, durably (temp file, fsync, rename, directory fsync).</summary>
    public static void Write(CounterDirectory directory, State state) =>
        directory.WriteDurably(directory.SnapshotPath(state.Segment), stream =>
        {
            var buffer = new ArrayBufferWriter<byte>(1 << 20);
            buffer.Write(Magic);
            var header = RecordWriter.Start(buffer, 4 * RecordWriter.MaxNumberSize);
            header.WriteNumber(state.Segment);
            header.WriteNumber(state.LastFlushSeq);
            header.WriteNumber(state.Songs.Length);
            header.Finish(buffer, RecordType.SnapshotHeader);
            for (var start = 0; start < state.Songs.Length; start += SongsPerChunk)
            {
                var chunk = new ArraySegment<KeyValuePair<string, long>>(state.Songs, start, Math.Min(SongsPerChunk, state.Songs.Length - start));
                var songs = RecordWriter.Start(buffer, RecordWriter.MaxNumberSize + chunk.Count * (RecordWriter.MaxSongSize + RecordWriter.MaxNumberSize));
                LogRecords.WriteSongs(ref songs, chunk);
                songs.Finish(buffer, RecordType.SnapshotSongs);
                if (buffer.WrittenCount > 1 << 20)
                {
                    stream.Write(buffer.WrittenSpan);
                    buffer.ResetWrittenCount();
                }
            }
            if (state.PendingFlush is { } pending)
            {
                LogRecords.WriteFlushBegin(buffer, pending);
            }
            var end = RecordWriter.Start(buffer, RecordWriter.MaxNumberSize);
            end.WriteNumber(state.Songs.Length);
            end.Finish(buffer, RecordType.SnapshotEnd);
            stream.Write(buffer.WrittenSpan);
        });

    /// <summary>
    /// Loads snapshot <paramref name="number"/> into the empty <paramref name="table"/>; false (and the table
    /// emptied again) when the file is damaged or incomplete. Returns the number of songs it held.
    /// </summary>
    public static bool TryLoad(CounterDirectory directory, long number, CountTable table, out int songs)
    {
        songs = 0;
        var bytes = File.ReadAllBytes(directory.SnapshotPath(number));
        ReadOnlySpan<byte> rest = bytes;
        if (!rest.StartsWith(Magic))
        {
            return false;
        }
        rest = rest[Magic.Length..];
        long lastFlushSeq = 0;
        PendingFlush? pending = null;
        var expected = -1L;
        while (RecordFraming.TryRead(rest, out var type, out var payload, out var size) == RecordStatus.Complete)
        {
            rest = rest[size..];
            var reader = new RecordReader(payload);
            switch (type)
            {
                case RecordType.SnapshotHeader when expected < 0 && reader.ReadNumber() == number:
                    lastFlushSeq = reader.ReadNumber();
                    expected = reader.ReadNumber();
                    table.Reserve((int)Math.Min(expected, 1 << 24));
                    break;
                case RecordType.SnapshotSongs when expected >= 0:
                    for (var count = reader.ReadNumber(); count > 0; count--)
                    {
                        var songId = reader.ReadSong();
                        table.Add(songId, reader.ReadNumber());
                        songs++;
                    }
                    break;
                case RecordType.FlushBegin when expected >= 0:
                    pending = LogRecords.ReadFlushBegin(payload);
                    break;
                case RecordType.SnapshotEnd when expected == songs && reader.ReadNumber() == songs && rest.IsEmpty:
                    table.RestoreFlushState(lastFlushSeq, pending);
                    return true;
                default:
                    table.Clear();
                    return false;
            }
        }
        table.Clear();
        return false;
    }
}
