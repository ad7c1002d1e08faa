using System.Text;

namespace Mergepoints.Counter.Http;

/// <summary>
/// The song id in <c>/song/{id}</c>, checked before it reaches the counts: ids are keys in the log and in the
/// database, so an empty one, one with a slash (it could never be addressed again) or one over 128 bytes is
/// refused with the reason instead of stored.
/// </summary>
internal static class SongId
{
    /// <summary>The most UTF-8 bytes an id may take.</summary>
    public const int MaxBytes = 128;

    /// <summary>The id, or the one-line reason it is refused.</summary>
    public static bool TryParse(string raw, out string id, out string? error)
    {
        // The server decodes the path except %2F, which it leaves encoded so it stays one segment; here it is
        // still a slash as far as the client meant it.
        id = raw.Contains('%', StringComparison.Ordinal) ? raw.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase) : raw;
        error = id.Length == 0 ? "The song id is empty."
            : id.Contains('/', StringComparison.Ordinal) ? "A song id cannot contain '/'."
            : Encoding.UTF8.GetByteCount(id) > MaxBytes ? $"A song id is at most {MaxBytes} bytes of UTF-8."
            : null;
        return error is null;
    }
}
