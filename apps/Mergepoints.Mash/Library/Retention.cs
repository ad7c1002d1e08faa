using Microsoft.Extensions.Logging;

namespace Mergepoints.Mash.Library;

/// <summary>
/// Deletes what the site keeps no longer: with <see cref="MashLibraryOptions.RetentionDays"/> above 0, mashes (with
/// their output songs) and songs asked for or added before that many days ago; always, blobs no song holds any more
/// and files a crash left in <c>blobs/tmp</c> a day ago or more (putting back those a song still holds). Every step is a delete of what is still there, so
/// several processes may run it at once (each <c>serve</c> and <c>worker</c> does, hourly): what one deletes, the
/// others find gone.
/// </summary>
internal sealed partial class Retention(MashLibrary library, ILogger logger, TimeProvider? time = null)
{
    private const int Batch = 100;

    // Far longer than any upload or mash writes its temporary file.
    private static readonly TimeSpan TemporaryFileAge = TimeSpan.FromDays(1);

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>One run; logs what it deleted, when it deleted anything.</summary>
    public async Task<RetentionReport> RunAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var days = library.Options.RetentionDays;
        var (mashes, songs) = (0, 0);
        if (days > 0)
        {
            var cutoff = now.AddDays(-days);
            // Mashes first: their output songs go with them, and are younger than they are.
            mashes = await DeleteAllAsync(token => library.Mashups.IdsOlderThanAsync(cutoff, Batch, token), library.Mashups.DeleteAsync, cancellationToken).ConfigureAwait(false);
            songs = await DeleteAllAsync(token => library.Songs.IdsOlderThanAsync(cutoff, Batch, token), library.Songs.DeleteAsync, cancellationToken).ConfigureAwait(false);
        }
        var blobs = await SweepBlobsAsync(cancellationToken).ConfigureAwait(false);
        var (temporary, restored) = await SweepTemporaryFilesAsync(now - TemporaryFileAge, cancellationToken).ConfigureAwait(false);
        var report = new RetentionReport(mashes, songs, blobs, temporary, restored);
        if (report.DidAnything)
        {
            LogDeleted(logger, mashes, songs, days, blobs, temporary, restored);
        }
        return report;
    }

    private static async Task<int> DeleteAllAsync(
        Func<CancellationToken, Task<IReadOnlyList<string>>> oldest, Func<string, CancellationToken, Task<bool>> delete, CancellationToken cancellationToken)
    {
        var deleted = 0;
        while (await oldest(cancellationToken).ConfigureAwait(false) is { Count: > 0 } ids)
        {
            foreach (var id in ids)
            {
                // False: another process deleted it first.
                deleted += await delete(id, cancellationToken).ConfigureAwait(false) ? 1 : 0;
            }
        }
        return deleted;
    }

    /// <summary>Blobs no song holds: left by a crash between a song's row going and its file going.</summary>
    private async Task<int> SweepBlobsAsync(CancellationToken cancellationToken)
    {
        // Read before the files are listed: a blob committed since then has its row already, and the release asks again.
        var held = await library.Songs.BlobHashesAsync(cancellationToken).ConfigureAwait(false);
        var deleted = 0;
        foreach (var hash in library.Blobs.Hashes().Where(hash => !held.Contains(hash)).ToList())
        {
            deleted += await library.Songs.ReleaseBlobAsync(hash, cancellationToken).ConfigureAwait(false) ? 1 : 0;
        }
        return deleted;
    }

    /// <summary>
    /// What crashes left in <c>blobs/tmp</c>, and only that: a blob a delete set aside (<c>*.deleting</c>) or a
    /// sealed file whose commit never came (<c>*.part</c>, a crash between a song's row and its rename) goes in
    /// place when a song holds its hash and its blob is missing; anything else of those two kinds is removed.
    /// Returns how many were removed and how many put back.
    /// </summary>
    private async Task<(int Deleted, int Restored)> SweepTemporaryFilesAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var outcomes = new List<Leftover>();
        foreach (var (file, hash) in library.Blobs.SetAsideBefore(cutoff))
        {
            outcomes.Add(await SettleAsync(file, hash, cancellationToken).ConfigureAwait(false));
        }
        foreach (var file in library.Blobs.StagedBefore(cutoff))
        {
            outcomes.Add(await SettleAsync(file, knownHash: null, cancellationToken).ConfigureAwait(false));
        }
        return (outcomes.Count(outcome => outcome == Leftover.Deleted), outcomes.Count(outcome => outcome == Leftover.Restored));
    }

    /// <summary>Puts <paramref name="file"/> in place when a song holds its bytes, removes it otherwise; a staged file is hashed first.</summary>
    private async Task<Leftover> SettleAsync(string file, string? knownHash, CancellationToken cancellationToken)
    {
        try
        {
            var hash = knownHash;
            if (hash is null)
            {
                await using var content = File.OpenRead(file);
                hash = await BlobStore.HashOfAsync(content, cancellationToken).ConfigureAwait(false);
            }
            if (await library.Songs.HoldsAsync(hash, cancellationToken).ConfigureAwait(false))
            {
                // False: the blob is there already and the file was removed, holding the same bytes.
                return library.Blobs.Restore(file, hash) ? Leftover.Restored : Leftover.Deleted;
            }
            File.Delete(file);
            return Leftover.Deleted;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Another process settled it first, or something still holds it: the next run sees.
            LogUnsettled(logger, e, file);
            return Leftover.Kept;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: deleted {Mashes} mashes and {Songs} songs older than {Days} days (0: kept forever), {Blobs} files no song held, {TemporaryFiles} temporary files left by crashes; put back {Restored} files a crash left there that a song holds")]
    private static partial void LogDeleted(ILogger logger, int mashes, int songs, int days, int blobs, int temporaryFiles, int restored);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention: could not settle {File}; the next run tries again")]
    private static partial void LogUnsettled(ILogger logger, Exception exception, string file);

    private enum Leftover
    {
        Kept,
        Deleted,
        Restored,
    }
}
