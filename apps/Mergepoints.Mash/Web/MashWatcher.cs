using Mergepoints.Mash.Jobs;
using Mergepoints.Mash.Library;

namespace Mergepoints.Mash.Web;

/// <summary>
/// Reads one mash's state over and over, as cheaply as it can: while the job is queued or running, only the job's
/// row (by its key); the mash itself (with its songs) at the start and once the job has finished. The worker may be
/// another process, so the database is the only place to look.
/// </summary>
internal sealed class MashWatcher(MashLibrary library, JobQueue jobs, string mashId, PageRequest page)
{
    private string? _jobId;

    /// <summary>The state now; null once the mash is gone.</summary>
    public async Task<MashState?> ReadAsync(CancellationToken cancellationToken)
    {
        if (_jobId is not null && await jobs.GetAsync(_jobId, cancellationToken) is { Status: JobStatus.Queued or JobStatus.Running } job)
        {
            return MashState.Of(job);
        }
        var mash = await library.Mashups.GetAsync(mashId, cancellationToken);
        _jobId = mash?.JobId;
        return mash is null ? null : MashState.Of(mash, page);
    }
}
