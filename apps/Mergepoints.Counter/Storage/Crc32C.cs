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
    private static readonly ReflectedCrc32 Software = new(0x82F63B78);

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

    private static uint UpdateInSoftware(uint crc, ReadOnlySpan<byte> data) => Software.Update(crc, data);
}
