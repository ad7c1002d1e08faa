#pragma warning disable CS9113 // CONTRACT STUB: the bodies come with the library; remove this line then.
namespace Mergepoints.Mash.Library;

/// <summary>
/// Files under <c>data/blobs</c> named by the SHA-256 of their bytes: the same bytes are kept once, and no name a
/// user chose ever reaches the file system.
/// </summary>
public sealed class BlobStore(string root)
{
    /// <summary>Where the blob lives; throws <see cref="ArgumentException"/> for anything but 64 lowercase hex digits.</summary>
    public string PathOf(string hash) => throw new NotImplementedException();
}
