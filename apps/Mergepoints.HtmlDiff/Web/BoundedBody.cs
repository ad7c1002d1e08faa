using System.Buffers;
using System.Globalization;

namespace Mergepoints.HtmlDiff.Web;

/// <summary>
/// Reads a request body whole, but never more than a limit: a declared Content-Length over it is refused before
/// a byte is read, and an undeclared (chunked) body is counted as it arrives and dropped the moment it passes.
/// </summary>
internal static class BoundedBody
{
    private const int ChunkBytes = 64 * 1024;

    /// <summary>The body, or null when it is larger than <paramref name="limit"/> bytes.</summary>
    public static async Task<ArraySegment<byte>?> ReadAsync(Stream body, string? contentLength, long limit, CancellationToken cancellationToken)
    {
        long? declared = long.TryParse(contentLength, NumberStyles.None, CultureInfo.InvariantCulture, out var length) ? length : null;
        if (declared > limit)
        {
            return null;
        }
        using var whole = new MemoryStream((int)Math.Min(declared ?? ChunkBytes, limit));
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk.AsMemory(0, ChunkBytes), cancellationToken)) > 0)
            {
                if (whole.Length + read > limit)
                {
                    return null;
                }
                whole.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        // The stream's own array, not a copy of it: a body may be megabytes.
        return whole.TryGetBuffer(out var buffer) ? buffer : new ArraySegment<byte>(whole.ToArray());
    }

    /// <summary>The limit as a person reads it: 10 MiB, or 1000 bytes.</summary>
    public static string Describe(long limit) => limit % (1024 * 1024) == 0
        ? $"{limit / (1024 * 1024)} MiB"
        : string.Create(CultureInfo.InvariantCulture, $"{limit} bytes");
}
