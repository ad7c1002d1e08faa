using System.Buffers;
using System.Text;

namespace Mergepoints.Counter.Storage;

/// <summary>
/// Encodes one record straight into an output buffer: <see cref="Start"/> reserves room for the largest payload,
/// the Write methods fill it, <see cref="Finish"/> seals it. Numbers are unsigned LEB128 (a play is one byte).
/// </summary>
internal ref struct RecordWriter
{
    private readonly Span<byte> _record;
    private int _position;

    private RecordWriter(Span<byte> record)
    {
        _record = record;
        _position = RecordFraming.HeaderSize;
    }

    /// <summary>The most a song id can take: its length byte and up to 128 UTF-8 bytes.</summary>
    public const int MaxSongSize = 1 + SongId.MaxBytes;

    /// <summary>The most a number can take.</summary>
    public const int MaxNumberSize = 10;

    /// <summary>Begins a record whose payload will be at most <paramref name="maxPayload"/> bytes.</summary>
    public static RecordWriter Start(IBufferWriter<byte> output, int maxPayload) =>
        new(output.GetSpan(RecordFraming.Overhead + maxPayload));

    /// <summary>Writes a non-negative number.</summary>
    public void WriteNumber(long value)
    {
        var remaining = (ulong)value;
        while (remaining >= 0x80)
        {
            _record[_position++] = (byte)(remaining | 0x80);
            remaining >>= 7;
        }
        _record[_position++] = (byte)remaining;
    }

    /// <summary>Writes a song id as a length byte and its UTF-8 bytes.</summary>
    public void WriteSong(string songId)
    {
        var length = Encoding.UTF8.GetBytes(songId, _record[(_position + 1)..]);
        _record[_position] = (byte)length;
        _position += 1 + length;
    }

    /// <summary>Seals the record and hands it to the output.</summary>
    public readonly void Finish(IBufferWriter<byte> output, RecordType type)
    {
        var payloadLength = _position - RecordFraming.HeaderSize;
        RecordFraming.Seal(_record, type, payloadLength);
        output.Advance(RecordFraming.Overhead + payloadLength);
    }
}
