using System.Buffers.Binary;

namespace Mergepoints.Counter.Storage;

/// <summary>
/// How a record sits on disk: a 4-byte length (type + payload), the type byte, the payload, and a CRC-32C over
/// type and payload. The checksum is what lets recovery tell a torn or corrupted tail from a record.
/// </summary>
internal static class RecordFraming
{
    /// <summary>Length and type in front of the payload.</summary>
    public const int HeaderSize = 4 + 1;

    /// <summary>Header in front of the payload, checksum after it.</summary>
    public const int Overhead = HeaderSize + 4;

    /// <summary>Far above any real record (a flush of a million songs is ~30 MB); a longer length is garbage.</summary>
    public const int MaxPayload = 1 << 30;

    /// <summary>Fills in length, type and checksum of a record whose payload is already in place after the header.</summary>
    public static void Seal(Span<byte> record, RecordType type, int payloadLength)
    {
        BinaryPrimitives.WriteInt32LittleEndian(record, 1 + payloadLength);
        record[4] = (byte)type;
        var crc = Crc32C.Compute(record.Slice(4, 1 + payloadLength));
        BinaryPrimitives.WriteUInt32LittleEndian(record[(HeaderSize + payloadLength)..], crc);
    }

    /// <summary>
    /// Reads the record at the start of <paramref name="buffer"/>. <see cref="RecordStatus.Incomplete"/> means
    /// the buffer ends inside it (at the end of a file: a torn write); <see cref="RecordStatus.Corrupt"/> that its
    /// length is impossible or its checksum fails.
    /// </summary>
    public static RecordStatus TryRead(ReadOnlySpan<byte> buffer, out RecordType type, out ReadOnlySpan<byte> payload, out int size)
    {
        type = default;
        payload = default;
        size = 0;
        if (buffer.Length < 4)
        {
            return RecordStatus.Incomplete;
        }
        var length = BinaryPrimitives.ReadInt32LittleEndian(buffer);
        if (length < 1 || length > MaxPayload + 1)
        {
            return RecordStatus.Corrupt;
        }
        size = 4 + length + 4;
        if (buffer.Length < size)
        {
            return RecordStatus.Incomplete;
        }
        var body = buffer.Slice(4, length);
        if (Crc32C.Compute(body) != BinaryPrimitives.ReadUInt32LittleEndian(buffer[(4 + length)..]))
        {
            return RecordStatus.Corrupt;
        }
        type = (RecordType)body[0];
        payload = body[1..];
        return RecordStatus.Complete;
    }
}
