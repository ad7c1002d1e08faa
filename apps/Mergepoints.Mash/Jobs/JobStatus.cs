namespace Mergepoints.Mash.Jobs;

/// <summary>Where a job is in its life; stored as the lower-case name, so the admin's SQL reads as the UI does.</summary>
public enum JobStatus
{
    /// <summary>Waiting for a worker, possibly until <see cref="Job.RunAfter"/> (a retry's backoff).</summary>
    Queued,

    /// <summary>A worker holds its lease; when the lease runs out unrenewed, another worker takes it.</summary>
    Running,

    /// <summary>Done, with <see cref="Job.Result"/>.</summary>
    Succeeded,

    /// <summary>Out of attempts, or not runnable at all; <see cref="Job.Error"/> says why.</summary>
    Failed,

    /// <summary>Cancelled while it was still queued; no worker ever ran it.</summary>
    Cancelled,
}
