namespace Mergepoints.Counter.Http;

/// <summary>
/// The song id in <c>/song/{id}</c>, checked before it reaches the counts: on top of what the log can hold
/// (<see cref="Storage.SongId"/>), an id may not contain a slash, since it could never be addressed again, nor
/// anything that still reads as a percent escape, since the front ends would not agree on which song it is.
/// </summary>
internal static class SongIdPath
{
    /// <summary>The id, or the one-line reason it is refused.</summary>
    public static bool TryParse(string raw, out string id, out string? error)
    {
        // The server decodes the path except %2F, which it leaves encoded so it stays one segment; here it is
        // still a slash as far as the client meant it.
        id = raw.Contains('%', StringComparison.Ordinal) ? raw.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase) : raw;
        error = id.Contains('/', StringComparison.Ordinal) ? "A song id cannot contain '/'."
            : HoldsEscape(id) ? "A song id cannot contain '%' followed by two hex digits: nginx and the counter would read it as different songs."
            : Storage.SongId.Problem(id);
        return error is null;
    }

    // Kestrel leaves an escape that is not UTF-8 (%FF) encoded, and decodes %25FF to the same text "%FF"; nginx
    // hashes the byte 0xFF for the one and the text for the other, so one id could be counted on two shards.
    // Refusing what still looks like an escape after decoding makes every id mean one thing everywhere.
    private static bool HoldsEscape(string id)
    {
        for (var at = id.IndexOf('%', StringComparison.Ordinal); at >= 0 && at + 2 < id.Length; at = id.IndexOf('%', at + 1))
        {
            if (char.IsAsciiHexDigit(id[at + 1]) && char.IsAsciiHexDigit(id[at + 2]))
            {
                return true;
            }
        }
        return false;
    }
}
