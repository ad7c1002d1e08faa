using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Mergepoints.Mash.Jobs;

/// <summary>
/// Keeps a running job's lease while its handler works: renews it every third of the lease, and stores the
/// handler's progress with the renewal, at most once per <see cref="ProgressInterval"/> however often the handler
/// reports (only the latest report is kept). When a renewal finds the job taken by another worker,
/// <see cref="Lost"/> fires so the handler stops.
/// </summary>
internal sealed partial class LeaseKeeper : IProgress<JobProgress>, IAsyncDisposable
{
    /// <summary>The most often progress is written; a handler may report far more often.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    private readonly JobQueue _queue;
    private readonly Job _job;
    private readonly TimeSpan _renewEvery;
    private readonly ILogger _logger;
    private readonly Channel<JobProgress> _reports = Channel.CreateBounded<JobProgress>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _lost = new();
    private readonly Task _loop;

    public LeaseKeeper(JobQueue queue, Job job, ILogger logger)
    {
        _queue = queue;
        _job = job;
        _renewEvery = queue.Options.Lease / 3;
        _logger = logger;
        Lost = _lost.Token;
        _loop = RunAsync(_stop.Token);
    }

    /// <summary>Fires when another worker holds the job now.</summary>
    public CancellationToken Lost { get; }

    /// <inheritdoc />
    public void Report(JobProgress value) => _reports.Writer.TryWrite(value);

    private async Task RunAsync(CancellationToken stop)
    {
        try
        {
            while (true)
            {
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(stop))
                {
                    wait.CancelAfter(_renewEvery);
                    try
                    {
                        await _reports.Reader.WaitToReadAsync(wait.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                    {
                        // Time to renew, with or without news.
                    }
                }
                _reports.Reader.TryRead(out var progress);
                if (!await RenewAsync(progress, stop).ConfigureAwait(false))
                {
                    LogLost(_logger, _job.Id, _job.LeaseOwner);
                    await _lost.CancelAsync().ConfigureAwait(false);
                    return;
                }
                await Task.Delay(ProgressInterval, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> RenewAsync(JobProgress? progress, CancellationToken stop)
    {
        try
        {
            return await _queue.HeartbeatAsync(_job, progress, stop).ConfigureAwait(false);
        }
        catch (DbException e)
        {
            // The database may be back before the lease ends; if not, another worker takes the job over.
            LogRenewFailed(_logger, e, _job.Id);
            return true;
        }
    }

    /// <summary>Stops renewing; the worker then completes, fails or releases the job.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        _lost.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: another worker holds it now (its lease ran out under {Worker}); this worker stops it and keeps nothing of it")]
    private static partial void LogLost(ILogger logger, string jobId, string? worker);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: could not renew the lease; trying again")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, string jobId);
}
