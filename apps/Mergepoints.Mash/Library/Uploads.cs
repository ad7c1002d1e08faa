#pragma warning disable CS9113 // CONTRACT STUB: the bodies come with the library; remove this line then.
namespace Mergepoints.Mash.Library;

/// <summary>
/// Takes an uploaded file into the library: streams it to a temporary file while hashing and counting (never more
/// than the limit), sniffs what it really is, checks that it can be read, then keeps it under its hash and adds
/// the song. The client's file name is used for the title only, never for a path.
/// </summary>
public sealed class Uploads(BlobStore blobs, SongStore songs, MashLibraryOptions options)
{
    /// <summary>Keeps the upload and returns its song; throws <see cref="UploadRejectedException"/> and keeps nothing otherwise.</summary>
    public Task<Song> AcceptAsync(Stream content, string fileName, string ownerUserId, CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}
