// Written by hand: the BCL has no CRC-32 of either kind (System.IO.Hashing is a package, and this project is BCL
// only). This is the table and loop both checksums of the counter share; each keeps its own start and finish.
namespace Mergepoints.Counter;

/// <summary>
/// A table-driven, reflected CRC-32 for one polynomial: the software path of the log's CRC-32C
/// (<see cref="Storage.Crc32C"/>) and the whole of nginx's CRC-32 (<see cref="Client.Crc32Ieee"/>).
/// </summary>
internal sealed class ReflectedCrc32(uint reversedPolynomial)
{
    private readonly uint[] _table = CreateTable(reversedPolynomial);

    /// <summary>The running value after <paramref name="data"/>, neither started nor finished here.</summary>
    public uint Update(uint running, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            running = _table[(byte)(running ^ b)] ^ (running >> 8);
        }
        return running;
    }

    private static uint[] CreateTable(uint reversedPolynomial)
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var entry = i;
            for (var bit = 0; bit < 8; bit++)
            {
                entry = (entry & 1) != 0 ? (entry >> 1) ^ reversedPolynomial : entry >> 1;
            }
            table[i] = entry;
        }
        return table;
    }
}
