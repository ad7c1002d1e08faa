// Written by hand because the BCL has no stable 64-bit string hash: string.GetHashCode is randomized per process,
// and XxHash64 lives in System.IO.Hashing, a package this BCL-only project does not take. Placement must come out
// the same in every process, on every machine and in every version, or clients would disagree on who owns a song.
using System.Text;

namespace Mergepoints.Counter.Client;

/// <summary>
/// FNV-1a 64 over UTF-8 bytes, then MurmurHash3's fmix64 finalizer: FNV-1a alone is stable but lets its last bytes
/// reach only the high bits (ids "1", "2", … differ low down), and fmix64 spreads every input bit over all 64.
/// </summary>
internal static class StableHash
{
    private const ulong FnvOffsetBasis = 0xcbf29ce484222325;
    private const ulong FnvPrime = 0x00000100000001b3;

    /// <summary>The hash of <paramref name="text"/>'s UTF-8 bytes, mixed.</summary>
    public static ulong Of(string text)
    {
        // Song ids are at most 128 bytes; longer text (a server's URL) may take the heap.
        var length = Encoding.UTF8.GetByteCount(text);
        Span<byte> bytes = length <= 256 ? stackalloc byte[length] : new byte[length];
        Encoding.UTF8.GetBytes(text, bytes);
        return Mix(Fnv1a(bytes));
    }

    /// <summary>Plain FNV-1a 64, as specified by Fowler, Noll and Vo.</summary>
    public static ulong Fnv1a(ReadOnlySpan<byte> bytes)
    {
        var hash = FnvOffsetBasis;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * FnvPrime;
        }
        return hash;
    }

    /// <summary>MurmurHash3's fmix64: a bijection on 64 bits in which every input bit flips each output bit about half the time.</summary>
    public static ulong Mix(ulong value)
    {
        value ^= value >> 33;
        value *= 0xff51afd7ed558ccd;
        value ^= value >> 33;
        value *= 0xc4ceb93fe1a85ec3;
        value ^= value >> 33;
        return value;
    }
}
