namespace Mergepoints.Counter.Storage;

/// <summary>Reads a record's payload back in the order <see cref="RecordWriter"/> wrote it.</summary>
internal ref struct RecordReader(ReadOnlySpan<byte> payload)
{
    private readonly ReadOnlySpan<byte> _payload = payload;
    private int _position;

    /// <summary>Whether the whole payload has been read.</summary>
    public readonly bool AtEnd => _position == _payload.Length;

    /// <summary>Reads a number written by <see cref="RecordWriter.WriteNumber"/>.</summary>
    public long ReadNumber()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = _payload[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return checked((long)value);
            }
        }
        throw new InvalidDataException("A number in the counter log is too long.");
    }

    /// <summary>Reads a song id's UTF-8 bytes.</summary>
    public ReadOnlySpan<byte> ReadSong()
    {
        var length = _payload[_position];
        var song = _payload.Slice(_position + 1, length);
        _position += 1 + length;
        return song;
    }
}
