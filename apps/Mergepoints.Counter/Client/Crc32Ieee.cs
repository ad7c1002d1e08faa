// Written by hand (over ReflectedCrc32): the BCL has no CRC-32 (System.IO.Hashing.Crc32 is a package, and this
// project is BCL only). nginx's consistent hash is built on it, and the placement must reproduce it bit for bit.
namespace Mergepoints.Counter.Client;

/// <summary>
/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), table-driven, as nginx's <c>ngx_crc32</c> computes it: a
/// running value that starts at <see cref="Start"/>, is updated over bytes, and is finished by <see cref="Final"/>.
/// nginx continues from an unfinished value (a server's base hash), so the three steps are separate here too.
/// </summary>
internal static class Crc32Ieee
{
    /// <summary>The running value before any byte (<c>ngx_crc32_init</c>).</summary>
    public const uint Start = 0xFFFFFFFF;

    private static readonly ReflectedCrc32 Crc = new(0xEDB88320);

    /// <summary>The running value after <paramref name="data"/> (<c>ngx_crc32_update</c>).</summary>
    public static uint Update(uint running, ReadOnlySpan<byte> data) => Crc.Update(running, data);

    /// <summary>The checksum of a running value (<c>ngx_crc32_final</c>).</summary>
    public static uint Final(uint running) => ~running;

    /// <summary>The checksum of <paramref name="data"/> on its own (<c>ngx_crc32_long</c>).</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Final(Update(Start, data));
}
