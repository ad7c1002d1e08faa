using System.Buffers;
using System.Text;

namespace Mergepoints.Counter.Storage;

/// <summary>The payload of each kind of log record, written and replayed in one place.</summary>
internal static class LogRecords
{
    /// <summary>A song's count grew by <paramref name="amount"/>.</summary>
    public static void WriteIncrement(IBufferWriter<byte> output, string songId, long amount)
    {
        var record = RecordWriter.Start(output, RecordWriter.MaxSongSize + RecordWriter.MaxNumberSize);
        record.WriteSong(songId);
        record.WriteNumber(amount);
        record.Finish(output, RecordType.Increment);
    }

    /// <summary>Every count went to zero.</summary>
    public static void WriteReset(IBufferWriter<byte> output) => RecordWriter.Start(output, 0).Finish(output, RecordType.Reset);

    /// <summary>One song's count went to zero.</summary>
    public static void WriteResetSong(IBufferWriter<byte> output, string songId)
    {
        var record = RecordWriter.Start(output, RecordWriter.MaxSongSize);
        record.WriteSong(songId);
        record.Finish(output, RecordType.ResetSong);
    }

    /// <summary>
    /// A flush batch is on its way to the database: what its commit will take off (a snapshot of a batch with
    /// songs reset since it was logged writes it without them).
    /// </summary>
    public static void WriteFlushBegin(IBufferWriter<byte> output, PendingFlush flush)
    {
        var deltas = flush.ToTakeOff;
        var record = RecordWriter.Start(output, 2 * RecordWriter.MaxNumberSize + deltas.Count * (RecordWriter.MaxSongSize + RecordWriter.MaxNumberSize));
        record.WriteNumber(flush.Seq);
        WriteSongs(ref record, deltas);
        record.Finish(output, RecordType.FlushBegin);
    }

    /// <summary>A flush batch was settled: <see cref="RecordType.FlushCommit"/> or <see cref="RecordType.FlushAbort"/>.</summary>
    public static void WriteFlushEnd(IBufferWriter<byte> output, RecordType type, long seq)
    {
        var record = RecordWriter.Start(output, RecordWriter.MaxNumberSize);
        record.WriteNumber(seq);
        record.Finish(output, type);
    }

    /// <summary>A count and that many (song, number) pairs.</summary>
    public static void WriteSongs(ref RecordWriter record, IReadOnlyCollection<KeyValuePair<string, long>> songs)
    {
        record.WriteNumber(songs.Count);
        foreach (var (songId, value) in songs)
        {
            record.WriteSong(songId);
            record.WriteNumber(value);
        }
    }

    /// <summary>The batch a flush-begin record describes.</summary>
    public static PendingFlush ReadFlushBegin(ReadOnlySpan<byte> payload)
    {
        var reader = new RecordReader(payload);
        var seq = reader.ReadNumber();
        var count = reader.ReadNumber();
        var deltas = new Dictionary<string, long>((int)Math.Min(count, 1 << 20), StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var songId = Encoding.UTF8.GetString(reader.ReadSong());
            deltas.Add(songId, reader.ReadNumber());
        }
        return new PendingFlush(seq, deltas);
    }

    /// <summary>Replays one log record onto <paramref name="table"/>.</summary>
    public static void Apply(CountTable table, RecordType type, ReadOnlySpan<byte> payload)
    {
        switch (type)
        {
            case RecordType.Increment:
                var reader = new RecordReader(payload);
                var songId = reader.ReadSong();
                table.Add(songId, reader.ReadNumber());
                break;
            case RecordType.Reset:
                table.Clear();
                break;
            case RecordType.ResetSong:
                table.ResetSong(Encoding.UTF8.GetString(new RecordReader(payload).ReadSong()));
                break;
            case RecordType.FlushBegin:
                table.BeginFlush(ReadFlushBegin(payload));
                break;
            case RecordType.FlushCommit:
                table.CommitFlush(new RecordReader(payload).ReadNumber());
                break;
            case RecordType.FlushAbort:
                table.AbortFlush(new RecordReader(payload).ReadNumber());
                break;
            default:
                // Most likely a newer build's record (as ResetSong, 6, is to builds before it): say so, since
                // going back to an older build is the one ordinary way to meet it.
                throw new InvalidDataException(
                    $"a record of type {(byte)type}, which this build does not know: a newer Mergepoints wrote this log, and an older one cannot read it");
        }
    }
}
