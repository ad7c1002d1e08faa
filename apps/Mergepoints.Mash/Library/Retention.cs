using Microsoft.Extensions.Logging;

namespace Mergepoints.Mash.Library;

/// <summary>
/// Deletes what the site keeps no longer: with <see cref="MashLibraryOptions.RetentionDays"/> above 0, mashes (with
/// their output songs) and songs asked for or added before that many days ago; always, blobs no song holds any more
/// and files a crash left in <c>blobs/tmp</c> a day ago or more. Every step is a delete of what is still there, so
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
        var temporary = library.Blobs.DeleteTemporaryFilesOlderThan(now - TemporaryFileAge);
        var report = new RetentionReport(mashes, songs, blobs, temporary);
        if (report.DeletedAnything)
        {
            LogDeleted(logger, mashes, songs, days, blobs, temporary);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: deleted {Mashes} mashes and {Songs} songs older than {Days} days (0: kept forever), {Blobs} files no song held, {TemporaryFiles} temporary files left by crashes")]
    private static partial void LogDeleted(ILogger logger, int mashes, int songs, int days, int blobs, int temporaryFiles);
}
