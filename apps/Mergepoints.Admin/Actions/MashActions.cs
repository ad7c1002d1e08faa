using Mergepoints.Admin.Data;
using Mergepoints.Mash.Jobs;

namespace Mergepoints.Admin.Actions;

/// <summary>
/// What an admin does to mashes and jobs, through the library and the queue that keep their rules: delete a mash
/// with its output, retry a failed job, cancel a queued one.
/// </summary>
internal sealed class MashActions(MashQueries mashes, JobQueries jobs, Mash.Library.MashLibrary library, JobQueue queue, AuditLog audit)
{
    /// <summary>Deletes the mash, its output song and blob, and cancels its job if it is still queued.</summary>
    public async Task DeleteMashAsync(Actor actor, string id, CancellationToken cancellationToken)
    {
        var before = await mashes.GetAsync(id, cancellationToken).ConfigureAwait(false) ?? throw RefusedException.NotFound("mash");
        if (!await library.Mashups.DeleteAsync(id, cancellationToken).ConfigureAwait(false))
        {
            throw RefusedException.NotFound("mash");
        }
        await audit.RecordAsync(
            AuditEntry.Of(actor, AuditActions.DeleteMash, "mash", id, new { before.Id, before.SongAId, before.SongBId, before.OwnerUserId, before.JobId, Status = Name(before.Status), before.OutputSongId }, null),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Queues a failed job again with all its attempts.</summary>
    public Task RetryJobAsync(Actor actor, string id, CancellationToken cancellationToken) =>
        ChangeJobAsync(actor, id, JobStatus.Failed, JobStatus.Queued, "retried", AuditActions.RetryJob, queue.RetryAsync, cancellationToken);

    /// <summary>Cancels a job no worker has started yet.</summary>
    public Task CancelJobAsync(Actor actor, string id, CancellationToken cancellationToken) =>
        ChangeJobAsync(actor, id, JobStatus.Queued, JobStatus.Cancelled, "cancelled", AuditActions.CancelJob, queue.CancelAsync, cancellationToken);

    private async Task ChangeJobAsync(
        Actor actor, string id, JobStatus from, JobStatus to, string done, string action, Func<string, CancellationToken, Task<bool>> change, CancellationToken cancellationToken)
    {
        var before = await jobs.GetAsync(id, cancellationToken).ConfigureAwait(false) ?? throw RefusedException.NotFound("job");
        // The queue decides in one statement; a job that moved on since the page was drawn is refused here too.
        if (!await change(id, cancellationToken).ConfigureAwait(false))
        {
            var now = await jobs.GetAsync(id, cancellationToken).ConfigureAwait(false) ?? before;
            throw new RefusedException(409, $"This job is {Name(now.Status)}: only a {Name(from)} job can be {done}.");
        }
        // "After" is what this change made, not a second read: a worker may already have claimed a retried job.
        var after = before with { Status = to, Attempts = to == JobStatus.Queued ? 0 : before.Attempts };
        await audit.RecordAsync(AuditEntry.Of(actor, action, "job", id, View(before), View(after)), cancellationToken).ConfigureAwait(false);
    }

    private static object View(JobSummary job) => new { job.Id, job.Kind, Status = Name(job.Status), job.Attempts, job.Error };

    private static string Name(JobStatus status) => status.ToString().ToLowerInvariant();
}
