// Written by hand: System.IO.Hashing has a CRC-32C, but it is a package and this project is BCL only (an app
// mounted by the host references nothing beyond the framework). The hardware instructions are BCL intrinsics.
using System.Buffers.Binary;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Mergepoints.Counter.Storage;

/// <summary>
/// CRC-32C (Castagnoli), the checksum on every log and snapshot record: the CPU's crc32 instruction where there is
/// one (SSE 4.2, ARMv8), a table otherwise. Chosen over CRC-32 because both CPU families compute it in hardware.
/// </summary>
internal static class Crc32C
{
    private const uint ReversedPolynomial = 0x82F63B78;

    private static readonly uint[] Table = CreateTable();

    /// <summary>The checksum of <paramref name="data"/>, continuing from <paramref name="crc"/> (0 to start).</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        crc = ~crc;
        if (Sse42.X64.IsSupported)
        {
            while (data.Length >= 8)
            {
                crc = (uint)Sse42.X64.Crc32(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[8..];
            }
        }
        else if (Crc32.Arm64.IsSupported)
        {
            while (data.Length >= 8)
            {
                crc = Crc32.Arm64.ComputeCrc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[8..];
            }
        }
        if (Sse42.IsSupported)
        {
            foreach (var b in data)
            {
                crc = Sse42.Crc32(crc, b);
            }
        }
        else if (Crc32.IsSupported)
        {
            foreach (var b in data)
            {
                crc = Crc32.ComputeCrc32C(crc, b);
            }
        }
        else
        {
            crc = UpdateInSoftware(crc, data);
        }
        return ~crc;
    }

    /// <summary>The checksum of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>The software path on its own, so tests can check it against the hardware one.</summary>
    internal static uint ComputeInSoftware(ReadOnlySpan<byte> data) => ~UpdateInSoftware(~0u, data);

    private static uint UpdateInSoftware(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            crc = Table[(byte)(crc ^ b)] ^ (crc >> 8);
        }
        return crc;
    }

    private static uint[] CreateTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var entry = i;
            for (var bit = 0; bit < 8; bit++)
            {
                entry = (entry & 1) != 0 ? (entry >> 1) ^ ReversedPolynomial : entry >> 1;
            }
            table[i] = entry;
        }
        return table;
    }
}
