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
    /// What crashes left in <c>blobs/tmp</c>: a blob a delete set aside goes back in place when a song holds it
    /// again (the delete would have put it back), and is removed otherwise. Only files of those two kinds are
    /// touched. Returns how many were removed and how many put back.
    /// </summary>
    private async Task<(int Deleted, int Restored)> SweepTemporaryFilesAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var (deleted, restored) = (0, 0);
        foreach (var (file, hash) in library.Blobs.SetAsideBefore(cutoff))
        {
            if (await library.Songs.HoldsAsync(hash, cancellationToken).ConfigureAwait(false))
            {
                restored += Settle(file, () => library.Blobs.Restore(file, hash)) ? 1 : 0;
            }
            else
            {
                deleted += Settle(file, () => Delete(file)) ? 1 : 0;
            }
        }
        foreach (var file in library.Blobs.StagedBefore(cutoff))
        {
            deleted += Settle(file, () => Delete(file)) ? 1 : 0;
        }
        return (deleted, restored);
    }

    // Another process may settle the same file first, or still hold it: that is not this run's failure, the next run sees.
    private bool Settle(string file, Func<bool> settle)
    {
        try
        {
            return settle();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogUnsettled(logger, e, file);
            return false;
        }
    }

    private static bool Delete(string file)
    {
        File.Delete(file);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: deleted {Mashes} mashes and {Songs} songs older than {Days} days (0: kept forever), {Blobs} files no song held, {TemporaryFiles} temporary files left by crashes; put back {Restored} files a crash left aside that a song holds")]
    private static partial void LogDeleted(ILogger logger, int mashes, int songs, int days, int blobs, int temporaryFiles, int restored);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention: could not settle {File}; the next run tries again")]
    private static partial void LogUnsettled(ILogger logger, Exception exception, string file);
}
