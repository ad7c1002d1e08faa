using System.Buffers;
using System.Security.Cryptography;

namespace Mergepoints.Mash.Library;

/// <summary>
/// Files under <c>data/blobs</c> named by the SHA-256 of their bytes: the same bytes are kept once, and no name a
/// user chose ever reaches the file system.
/// </summary>
/// <remarks>
/// A blob is <c>ab/cd/abcd…</c> (two levels of 256 folders, so no folder grows past a few thousand files). New
/// bytes are written to <c>tmp/</c> first (<see cref="Stage"/>) and renamed into place by <see cref="Commit"/>,
/// so a reader never sees half a blob; the rename replaces a blob of the same name, which holds the same bytes.
/// Which blobs are still wanted is the <c>songs</c> table's business: <see cref="SongStore"/> inserts a song's
/// row before it commits the blob and asks again, through <see cref="DeleteAsync"/>, after taking a blob away.
/// </remarks>
public sealed class BlobStore(string root)
{
    private const int HashLength = 64;
    private const string StagedExtension = ".part";
    private const string SetAsideExtension = ".deleting";
    private static readonly SearchValues<char> LowercaseHex = SearchValues.Create("0123456789abcdef");

    /// <summary>Where files are written before they are blobs; files a crash left here are swept by the retention.</summary>
    internal string TemporaryDirectory { get; } = Path.Combine(root, "tmp");

    /// <summary>Where the blob lives; throws <see cref="ArgumentException"/> for anything but 64 lowercase hex digits.</summary>
    public string PathOf(string hash)
    {
        return Path.Combine(root, NameOf(hash));
    }

    /// <summary>
    /// The blob's name under the blob directory, <c>ab/cd/abcd…</c>, as nginx finds it below its alias of that
    /// directory; throws <see cref="ArgumentException"/> for anything but 64 lowercase hex digits.
    /// </summary>
    public static string NameOf(string hash) => IsHash(hash)
        ? $"{hash[..2]}/{hash[2..4]}/{hash}"
        : throw new ArgumentException("A blob is named by 64 lowercase hex digits (a SHA-256).", nameof(hash));

    /// <summary>A new file under <c>tmp/</c> to write a blob-to-be into; disposing it before <see cref="Commit"/> removes it.</summary>
    internal StagedBlob Stage()
    {
        Directory.CreateDirectory(TemporaryDirectory);
        return new StagedBlob(Path.Combine(TemporaryDirectory, $"{Guid.NewGuid():N}{StagedExtension}"));
    }

    /// <summary>Renames a sealed staged file into place under its hash; returns the hash.</summary>
    internal string Commit(StagedBlob staged)
    {
        var hash = staged.Hash ?? throw new InvalidOperationException("A staged blob is sealed (its hash known) before it is committed.");
        var path = PathOf(hash);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // rename(2): atomic, and a blob already there holds these very bytes, so replacing it changes nothing for
        // a reader (who keeps the file it opened).
        File.Move(staged.Path, path, overwrite: true);
        staged.MarkCommitted();
        return hash;
    }

    /// <summary>
    /// Removes the blob unless <paramref name="stillUnreferenced"/>, asked once it is out of sight, says someone
    /// took the same bytes meanwhile; then it is put back. False when there was no such blob or it was put back.
    /// </summary>
    /// <remarks>
    /// The blob is moved aside before the question, not deleted after it: an upload of the same bytes inserts its
    /// row and then commits its file, so it either shows in the answer, or commits after the move and its file
    /// stays. Deleting after the question would lose its file when its commit fell between the two.
    /// </remarks>
    internal async Task<bool> DeleteAsync(string hash, Func<CancellationToken, Task<bool>> stillUnreferenced, CancellationToken cancellationToken)
    {
        var path = PathOf(hash);
        Directory.CreateDirectory(TemporaryDirectory);
        var aside = Path.Combine(TemporaryDirectory, $"{hash}.{Guid.NewGuid():N}{SetAsideExtension}");
        try
        {
            File.Move(path, aside);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
        bool unreferenced;
        try
        {
            // A rename keeps the blob's old time, and the sweep judges files in tmp/ by their age: without this, a
            // blob a year old would look like a crash's leftover the moment it is set aside.
            File.SetLastWriteTimeUtc(aside, DateTime.UtcNow);
            unreferenced = await stillUnreferenced(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            PutBack(aside, path);
            throw;
        }
        if (!unreferenced)
        {
            PutBack(aside, path);
            return false;
        }
        File.Delete(aside);
        return true;
    }

    /// <summary>Every blob's hash, for the sweep that finds blobs no song holds (a crash between a row and its file).</summary>
    internal IEnumerable<string> Hashes() => !Directory.Exists(root)
        ? []
        : Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(file => (File: file, Name: Path.GetFileName(file)))
            .Where(blob => IsHash(blob.Name) && blob.File == PathOf(blob.Name))
            .Select(blob => blob.Name);

    /// <summary>The name <paramref name="content"/>'s bytes have as a blob: their SHA-256 in lowercase hex.</summary>
    internal static async Task<string> HashOfAsync(Stream content, CancellationToken cancellationToken) =>
        Convert.ToHexStringLower(await SHA256.HashDataAsync(content, cancellationToken).ConfigureAwait(false));

    /// <summary>Blobs-to-be in <c>tmp/</c> last written before <paramref name="cutoff"/>: what a crashed upload or mash left.</summary>
    internal IReadOnlyList<string> StagedBefore(DateTimeOffset cutoff) =>
        [.. TemporaryFilesBefore(cutoff, $"*{StagedExtension}").Select(file => file.FullName)];

    /// <summary>
    /// Blobs a delete set aside in <c>tmp/</c> before <paramref name="cutoff"/> and never settled (the process
    /// died between the move and the question), with the hash their name starts with.
    /// </summary>
    internal IReadOnlyList<(string File, string Hash)> SetAsideBefore(DateTimeOffset cutoff) =>
        [.. TemporaryFilesBefore(cutoff, $"*{SetAsideExtension}")
            .Select(file => (File: file.FullName, Hash: file.Name.Split('.')[0]))
            .Where(file => IsHash(file.Hash))];

    /// <summary>
    /// Puts <paramref name="file"/> (from <c>tmp/</c>, holding the bytes named <paramref name="hash"/>) in place
    /// as that blob; true when it was missing and now is there, false when it was there already (the file is
    /// removed: the blob holds the same bytes).
    /// </summary>
    internal bool Restore(string file, string hash)
    {
        var path = PathOf(hash);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return PutBack(file, path);
    }

    private IEnumerable<FileInfo> TemporaryFilesBefore(DateTimeOffset cutoff, string pattern) => !Directory.Exists(TemporaryDirectory)
        ? []
        : new DirectoryInfo(TemporaryDirectory).EnumerateFiles(pattern).Where(file => file.LastWriteTimeUtc < cutoff.UtcDateTime);

    private static bool PutBack(string aside, string path)
    {
        try
        {
            File.Move(aside, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            // The newcomer's commit already put the same bytes back.
            File.Delete(aside);
            return false;
        }
    }

    private static bool IsHash(string? hash) =>
        hash is { Length: HashLength } && !hash.AsSpan().ContainsAnyExcept(LowercaseHex);
}
