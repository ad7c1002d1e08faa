namespace Mergepoints.Counter.Http;

/// <summary>
/// The song id in <c>/song/{id}</c>, checked before it reaches the counts: on top of what the log can hold
/// (<see cref="Storage.SongId"/>), an id may not contain a slash, since it could never be addressed again.
/// </summary>
internal static class SongIdPath
{
    /// <summary>The id, or the one-line reason it is refused.</summary>
    public static bool TryParse(string raw, out string id, out string? error)
    {
        // The server decodes the path except %2F, which it leaves encoded so it stays one segment; here it is
        // still a slash as far as the client meant it.
        id = raw.Contains('%', StringComparison.Ordinal) ? raw.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase) : raw;
        error = id.Contains('/', StringComparison.Ordinal) ? "A song id cannot contain '/'." : Storage.SongId.Problem(id);
        return error is null;
    }
}
