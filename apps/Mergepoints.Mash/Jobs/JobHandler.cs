namespace Mergepoints.Mash.Jobs;

/// <summary>
/// Runs one kind of job: reads <see cref="Job.Payload"/>, reports progress as it goes, and returns the result as
/// JSON (or null). An exception fails the attempt with its message (the queue retries while attempts are left;
/// a <see cref="PermanentJobException"/> fails the job at once);
/// <paramref name="cancellationToken"/> fires when the worker stops or loses the job, and the handler should then
/// stop soon: what it does after that is not kept.
/// </summary>
public delegate Task<string?> JobHandler(Job job, IProgress<JobProgress> progress, CancellationToken cancellationToken);
