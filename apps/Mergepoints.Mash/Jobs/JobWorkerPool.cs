using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mergepoints.Mash.Jobs;

/// <summary>
/// A process's workers, started and stopped with the process (a hosted service of <c>serve</c> or <c>worker</c>).
/// A graceful stop takes no new jobs, lets running ones finish for <see cref="JobsOptions.StopGraceSeconds"/>,
/// then cancels the rest and gives them back to the queue without counting the attempt.
/// </summary>
public sealed partial class JobWorkerPool : IHostedService, IAsyncDisposable
{
    private readonly JobQueue _queue;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopClaiming = new();
    private readonly CancellationTokenSource _abortJobs = new();
    private Task _running = Task.CompletedTask;
    private int _disposed;

    /// <summary>A pool of <paramref name="workers"/> workers (by default as many as <see cref="JobsOptions.Workers"/> says).</summary>
    public JobWorkerPool(JobQueue queue, JobHandlers handlers, ILoggerFactory loggerFactory, int? workers = null)
    {
        _queue = queue;
        _logger = loggerFactory.CreateLogger("Mergepoints.Jobs");
        var count = workers ?? queue.Options.WorkerCount;
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1, nameof(workers));
        // host:pid:worker-n: unique per worker, and names the machine and process an operator would look at.
        Workers = [.. Enumerable.Range(1, count).Select(n => new JobWorker($"{Environment.MachineName}:{Environment.ProcessId}:worker-{n}", queue, handlers, _logger))];
    }

    /// <summary>The workers, for the start-up lines.</summary>
    public IReadOnlyList<JobWorker> Workers { get; }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Each worker on a thread-pool thread of its own, so none waits for another's synchronous start.
        _running = Task.WhenAll(Workers.Select(worker => Task.Run(() => worker.RunAsync(_stopClaiming.Token, _abortJobs.Token), CancellationToken.None)));
        LogStarted(_logger, Workers.Count, _queue.Options.LeaseSeconds);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopClaiming.CancelAsync().ConfigureAwait(false);
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        grace.CancelAfter(TimeSpan.FromSeconds(_queue.Options.StopGraceSeconds));
        try
        {
            await _running.WaitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            LogAborting(_logger);
            await _abortJobs.CancelAsync().ConfigureAwait(false);
            await _running.ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // A container that registered the pool as both itself and a hosted service disposes it twice.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopClaiming.Dispose();
        _abortJobs.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job workers: {Count} started (lease {LeaseSeconds} s)")]
    private static partial void LogStarted(ILogger logger, int count, double leaseSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job workers: running jobs did not finish in the stop grace; cancelling them and giving them back to the queue")]
    private static partial void LogAborting(ILogger logger);
}
