using System.Globalization;

namespace Mergepoints.Mash.Library;

/// <summary>A number of bytes as people say it, the same on every page and in every message, whatever the server's culture.</summary>
public static class ByteSize
{
    /// <summary>50 MB, 1.5 MB, 97.7 KB, 10 bytes (a megabyte being 2^20 bytes).</summary>
    public static string Of(long bytes) => bytes switch
    {
        >= 1 << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1 << 20):0.#} MB"),
        >= 1 << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1 << 10):0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
    };
}
