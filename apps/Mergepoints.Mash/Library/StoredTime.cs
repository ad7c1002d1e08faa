namespace Mergepoints.Mash.Library;

/// <summary>Times as the tables keep them: Unix milliseconds, so a song or mash handed back at once equals the row read later.</summary>
internal static class StoredTime
{
    /// <summary>Now, to the millisecond.</summary>
    public static DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
}
