#pragma warning disable CS9113 // CONTRACT STUB: the bodies come with the library; remove this line then.
using Mergepoints.Middleware.Data;

namespace Mergepoints.Mash.Library;

/// <summary>The <c>songs</c> table: the library's songs and the play counts the counter folds into it.</summary>
public sealed class SongStore(Datastore datastore, BlobStore blobs)
{
    /// <summary>The song, or null.</summary>
    public Task<Song?> GetAsync(string id, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Songs newest first; <paramref name="pageSize"/> is capped at 100.</summary>
    public Task<Paged<Song>> ListAsync(int page, int pageSize, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>How many songs there are (the home page offers the demo songs when there are none).</summary>
    public Task<long> CountAsync(CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Deletes the song, and its blob when no other song holds the same bytes; false when there was none.</summary>
    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) => throw new NotImplementedException();
}
