namespace Mergepoints.Mash.Library;

/// <summary>
/// One song of the library: an upload, a demo song or a finished mash. Its id is what the play counter counts
/// (<c>/api/song/{Id}</c>), and <see cref="PlayCount"/> is what the counter's write-behind has folded into the
/// <c>songs</c> table so far; plays since then live in the counter.
/// </summary>
public sealed record Song
{
    /// <summary>
    /// 32 lowercase hex digits, safe in a URL and as a counter id: a version 7 GUID for uploads and mashes (so they
    /// sort by when they were added), the start of the content hash for the demo songs (so every site and every
    /// racing call gives each the same id).
    /// </summary>
    public required string Id { get; init; }

    /// <summary>What people see: the file name without its extension, or the mash's "A × B".</summary>
    public required string Title { get; init; }

    /// <summary>The SHA-256 of the bytes, lowercase hex: the blob's name under <c>data/blobs</c>.</summary>
    public required string BlobHash { get; init; }

    /// <summary>The media type the bytes were sniffed as (<c>audio/wav</c>, <c>audio/mpeg</c>, …), sent back with them.</summary>
    public required string ContentType { get; init; }

    /// <summary>The size of the blob in bytes.</summary>
    public required long Bytes { get; init; }

    /// <summary>The length in seconds when it is known (always for WAV).</summary>
    public double? DurationSeconds { get; init; }

    /// <summary>Where it came from.</summary>
    public required SongOrigin Origin { get; init; }

    /// <summary>Who uploaded or mashed it; null for demo songs.</summary>
    public string? OwnerUserId { get; init; }

    /// <summary>Plays folded into the database by the counter's write-behind.</summary>
    public long PlayCount { get; init; }

    /// <summary>When it was added.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
}
