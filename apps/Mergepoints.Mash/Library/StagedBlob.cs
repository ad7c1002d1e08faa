using System.Security.Cryptography;

namespace Mergepoints.Mash.Library;

/// <summary>
/// A blob-to-be under <c>blobs/tmp</c>: written through <see cref="WriteAsync"/> (hashed and counted as it goes,
/// so an upload is read once) or by someone else at <see cref="Path"/> (the engine writing a mash), then sealed
/// (its hash known and its bytes on disk) and committed by <see cref="BlobStore.Commit"/>. Disposed uncommitted,
/// the file is removed: a rejected upload or a failed mash leaves nothing behind.
/// </summary>
internal sealed class StagedBlob(string path) : IAsyncDisposable
{
    private FileStream? _file;
    private IncrementalHash? _hash;
    private bool _committed;

    /// <summary>The temporary file.</summary>
    public string Path { get; } = path;

    /// <summary>The bytes so far (all of them once sealed).</summary>
    public long Length { get; private set; }

    /// <summary>The SHA-256 in lowercase hex, once sealed.</summary>
    public string? Hash { get; private set; }

    /// <summary>Appends <paramref name="bytes"/> to the file and the hash.</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (Hash is not null)
        {
            throw new InvalidOperationException("The staged blob is sealed.");
        }
        _file ??= new FileStream(Path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
        _hash ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        _hash.AppendData(bytes.Span);
        await _file.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        Length += bytes.Length;
    }

    /// <summary>
    /// Finishes the file: flushed to the disk (a blob must survive a crash once its row says it exists) and
    /// hashed: from what went through <see cref="WriteAsync"/>, or by reading the file someone else wrote.
    /// </summary>
    public async Task<string> SealAsync(CancellationToken cancellationToken)
    {
        if (Hash is not null)
        {
            return Hash;
        }
        if (_file is null)
        {
            await using var written = new FileStream(Path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
            Hash = await BlobStore.HashOfAsync(written, cancellationToken).ConfigureAwait(false);
            Length = written.Length;
            written.Flush(flushToDisk: true);
            return Hash;
        }
        await _file.FlushAsync(cancellationToken).ConfigureAwait(false);
        _file.Flush(flushToDisk: true);
        await _file.DisposeAsync().ConfigureAwait(false);
        _file = null;
        Hash = Convert.ToHexStringLower(_hash!.GetHashAndReset());
        return Hash;
    }

    /// <summary>The file is a blob now: disposing leaves it.</summary>
    public void MarkCommitted() => _committed = true;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_file is not null)
        {
            await _file.DisposeAsync().ConfigureAwait(false);
        }
        _hash?.Dispose();
        if (!_committed)
        {
            try
            {
                File.Delete(Path);
            }
            catch (IOException)
            {
                // The retention's sweep of tmp/ removes it later.
            }
        }
    }
}
