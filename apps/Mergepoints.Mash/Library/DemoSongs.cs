#pragma warning disable CS9113 // CONTRACT STUB: the bodies come with the library; remove this line then.
namespace Mergepoints.Mash.Library;

/// <summary>
/// Two songs synthesized in code, so a new site has something to mash at once: <c>mergepoints demo</c> and the
/// button on an empty home page.
/// </summary>
public sealed class DemoSongs(BlobStore blobs, SongStore songs)
{
    /// <summary>Adds the two demo songs unless they are already there; returns them either way (A first).</summary>
    public Task<IReadOnlyList<Song>> EnsureAsync(CancellationToken cancellationToken) => throw new NotImplementedException();
}
