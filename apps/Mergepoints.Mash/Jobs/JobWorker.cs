using Microsoft.Extensions.Logging;

namespace Mergepoints.Mash.Jobs;

/// <summary>
/// One worker: claims a job, runs its kind's handler under a kept lease, then completes it, fails it (the queue
/// retries it while attempts are left, unless the handler threw <see cref="PermanentJobException"/>) or, when told
/// to stop mid-job, releases it for another worker. Idle, it waits for a job enqueued by this process or polls for
/// one enqueued elsewhere.
/// </summary>
public sealed partial class JobWorker(string id, JobQueue queue, JobHandlers handlers, ILogger logger)
{
    /// <summary>Who holds a claimed job: <c>host:pid:worker-n</c>, so an operator can find the process.</summary>
    public string Id { get; } = id;

    /// <summary>Works until <paramref name="stopClaiming"/>; a job running then finishes unless <paramref name="abortJob"/> fires too.</summary>
    /// <param name="stopClaiming">Take no new job.</param>
    /// <param name="abortJob">Cancel the running job's handler and give the job back to the queue.</param>
    public async Task RunAsync(CancellationToken stopClaiming, CancellationToken abortJob)
    {
        var poll = TimeSpan.FromMilliseconds(queue.Options.PollMilliseconds);
        while (!stopClaiming.IsCancellationRequested)
        {
            try
            {
                if (await queue.ClaimAsync(Id, stopClaiming).ConfigureAwait(false) is { } job)
                {
                    await RunJobAsync(job, abortJob).ConfigureAwait(false);
                }
                else
                {
                    await queue.WaitForWorkAsync(poll, stopClaiming).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stopClaiming.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                // The database is away, most likely: nothing is lost (a claimed job comes back after its lease).
                LogTroubled(logger, e, Id);
                await PauseAsync(poll, stopClaiming).ConfigureAwait(false);
            }
        }
    }

    private async Task RunJobAsync(Job job, CancellationToken abortJob)
    {
        if (handlers.Find(job.Kind) is not { } handler)
        {
            var kinds = handlers.Kinds;
            var error = $"No handler for job kind \"{job.Kind}\"; this worker runs {(kinds.Count == 0 ? "no kinds" : string.Join(", ", kinds))}.";
            _ = Settle(job, await queue.FailAsync(job, error, retry: false, CancellationToken.None).ConfigureAwait(false));
            return;
        }
        LogStarted(logger, job.Id, job.Kind, job.Attempts, job.MaxAttempts, Id);
        string? result = null;
        Exception? failure = null;
        var keeper = new LeaseKeeper(queue, job, logger);
        await using (keeper.ConfigureAwait(false))
        {
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(abortJob, keeper.Lost);
            try
            {
                result = await handler(job, keeper, cancel.Token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                failure = e;
            }
        }
        if (keeper.Lost.IsCancellationRequested)
        {
            return;
        }
        switch (failure)
        {
            case null:
                if (Settle(job, await queue.CompleteAsync(job, result, CancellationToken.None).ConfigureAwait(false)))
                {
                    LogSucceeded(logger, job.Id, job.Kind);
                }
                break;
            case OperationCanceledException when abortJob.IsCancellationRequested:
                if (Settle(job, await queue.ReleaseAsync(job, CancellationToken.None).ConfigureAwait(false)))
                {
                    LogReleased(logger, job.Id, Id);
                }
                break;
            default:
                // The message is for the user and the admin; the stack trace only for the log.
                LogFailed(logger, failure, job.Id, job.Kind, job.Attempts, job.MaxAttempts);
                var retry = failure is not PermanentJobException;
                _ = Settle(job, await queue.FailAsync(job, failure.Message, retry, CancellationToken.None).ConfigureAwait(false));
                break;
        }
    }

    private bool Settle(Job job, bool stillOurs)
    {
        if (!stillOurs)
        {
            LogTakenOver(logger, job.Id, Id);
        }
        return stillOurs;
    }

    private static async Task PauseAsync(TimeSpan pause, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} ({Kind}) started, attempt {Attempt} of {MaxAttempts}, by {Worker}")]
    private static partial void LogStarted(ILogger logger, string jobId, string kind, int attempt, int maxAttempts, string worker);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} ({Kind}) succeeded")]
    private static partial void LogSucceeded(ILogger logger, string jobId, string kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} given back to the queue unfinished by {Worker}, which is stopping")]
    private static partial void LogReleased(ILogger logger, string jobId, string worker);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} ({Kind}) failed attempt {Attempt} of {MaxAttempts}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string jobId, string kind, int attempt, int maxAttempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: another worker took it over from {Worker} before it was settled; its outcome here is dropped")]
    private static partial void LogTakenOver(ILogger logger, string jobId, string worker);

    [LoggerMessage(Level = LogLevel.Error, Message = "Worker {Worker} could not reach the job queue; trying again")]
    private static partial void LogTroubled(ILogger logger, Exception exception, string worker);
}
