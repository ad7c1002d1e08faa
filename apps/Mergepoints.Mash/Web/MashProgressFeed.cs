using Mergepoints.Mash.Jobs;
using Mergepoints.Mash.Library;
using Microsoft.Extensions.Logging;

namespace Mergepoints.Mash.Web;

/// <summary>
/// The states of every mash someone is watching, read for all of them at once: one loop per site reads, every
/// 300 ms while at least one progress stream is open, the jobs of the mashes still queued or running in one
/// query, and the mashes whose job has ended (or is not known yet) in one more; each stream then takes its own
/// mash's reading. So the shared datastore sees the same few queries whether one page watches or a hundred, and
/// none at all when nobody watches. The worker may be another process, so the database is the only place to look.
/// </summary>
internal sealed partial class MashProgressFeed(MashLibrary library, JobQueue jobs, ILogger<MashProgressFeed> logger) : IAsyncDisposable
{
    private static readonly TimeSpan ReadEvery = TimeSpan.FromMilliseconds(300);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Watched> _watched = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource _someoneWatches = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;
    private long _ticks;
    private long _reads;
    private long _failures;
    private bool _failing;

    /// <summary>
    /// How many times the loop has read its mashes, how many batched reads (one query each, up to
    /// <see cref="JobQueue.MaxIdsPerQuery"/> ids) that took in all, and how many times reading failed: what tests
    /// check the sharing and the recovery by.
    /// </summary>
    public (long Ticks, long Reads, long Failures) Counts
    {
        get
        {
            lock (_lock)
            {
                return (_ticks, _reads, _failures);
            }
        }
    }

    /// <summary>
    /// Starts following the mash <paramref name="mashId"/>; dispose the answer when the stream ends. Its first
    /// reading comes from the next read (the stream starts from it, so every state it tells is newer than the last).
    /// </summary>
    public Subscription Watch(string mashId)
    {
        lock (_lock)
        {
            if (!_watched.TryGetValue(mashId, out var watched))
            {
                watched = new Watched(mashId);
                _watched.Add(mashId, watched);
            }
            watched.Streams++;
            if (_loop is null && !_stopping.IsCancellationRequested)
            {
                _loop = Task.Run(() => RunAsync(_stopping.Token));
            }
            _someoneWatches.TrySetResult();
            return new Subscription(this, watched);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task? loop;
        lock (_lock)
        {
            loop = _loop;
            _stopping.Cancel();
        }
        if (loop is not null)
        {
            await loop.ConfigureAwait(false);
        }
        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(ReadEvery);
        try
        {
            while (true)
            {
                Task someoneWatches;
                lock (_lock)
                {
                    if (_watched.Count == 0 && _someoneWatches.Task.IsCompleted)
                    {
                        _someoneWatches = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    }
                    someoneWatches = _someoneWatches.Task;
                }
                await someoneWatches.WaitAsync(stopping).ConfigureAwait(false);
                await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false);
                await ReadAllAsync(stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The site is stopping: its streams end by the same signal.
        }
    }

    private async Task ReadAllAsync(CancellationToken cancellationToken)
    {
        List<Watched> all;
        lock (_lock)
        {
            all = [.. _watched.Values];
        }
        if (all.Count == 0)
        {
            return;
        }
        var reads = 0;
        try
        {
            var readings = new Dictionary<Watched, Reading>();
            // While a job is queued or running only its row changes: the mash (with its joins) is read once it has ended.
            var following = all.Where(watched => watched.JobId is not null).ToList();
            var jobsRead = following.Count == 0
                ? new Dictionary<string, Job>()
                : await Counted(jobs.GetManyAsync([.. following.Select(watched => watched.JobId!)], cancellationToken)).ConfigureAwait(false);
            foreach (var watched in following)
            {
                if (jobsRead.TryGetValue(watched.JobId!, out var job) && job.Status is JobStatus.Queued or JobStatus.Running)
                {
                    readings[watched] = new Reading(job, null);
                }
            }
            var rest = all.Where(watched => !readings.ContainsKey(watched)).ToList();
            if (rest.Count > 0)
            {
                var mashes = await Counted(library.Mashups.GetManyAsync([.. rest.Select(watched => watched.MashId)], cancellationToken)).ConfigureAwait(false);
                foreach (var watched in rest)
                {
                    var mash = mashes.GetValueOrDefault(watched.MashId);
                    watched.JobId = mash?.JobId;
                    readings[watched] = new Reading(null, mash);
                }
            }
            if (_failing)
            {
                LogRecovered(logger);
                _failing = false;
            }
            lock (_lock)
            {
                (_ticks, _reads) = (_ticks + 1, _reads + reads);
                foreach (var (watched, reading) in readings)
                {
                    watched.Publish(reading);
                }
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // The streams stay open on their last state (with their heartbeats) and the next tick tries again;
            // one line for a datastore that is away, not one every 300 ms.
            lock (_lock)
            {
                _failures++;
            }
            if (!_failing)
            {
                LogReadFailed(logger, e);
                _failing = true;
            }
        }

        async Task<T> Counted<T>(Task<T> read)
        {
            reads++;
            return await read.ConfigureAwait(false);
        }
    }

    private void Unwatch(Watched watched)
    {
        lock (_lock)
        {
            if (--watched.Streams == 0)
            {
                _watched.Remove(watched.MashId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the watched mashes' progress failed; their streams wait, and the next read is in 300 ms")]
    private static partial void LogReadFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reading the watched mashes' progress works again")]
    private static partial void LogRecovered(ILogger logger);

    /// <summary>One stream's hold on its mash: each reading of it as the feed makes it.</summary>
    public sealed class Subscription : IDisposable
    {
        private readonly MashProgressFeed _feed;
        private readonly Watched _watched;
        private bool _disposed;

        internal Subscription(MashProgressFeed feed, Watched watched) => (_feed, _watched) = (feed, watched);

        /// <summary>The mash's next reading; null when none came within <paramref name="timeout"/> (a heartbeat is due, say).</summary>
        public async Task<Reading?> NextAsync(TimeSpan timeout, CancellationToken cancellationToken)
        {
            Task<Reading> next;
            lock (_feed._lock)
            {
                next = _watched.Next.Task;
            }
            try
            {
                return await next.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return null;
            }
        }

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                _feed.Unwatch(_watched);
            }
        }
    }

    /// <summary>What one read found of a mash: its job while that is queued or running, else the mash itself (neither when there is no such mash).</summary>
    public sealed record Reading(Job? ActiveJob, Mashup? Mash)
    {
        /// <summary>The state as the stream of <paramref name="page"/> tells it (its links under that page's base); null when there is no such mash.</summary>
        public MashState? StateFor(PageRequest page) =>
            ActiveJob is { } job ? MashState.Of(job)
            : Mash is { } mash ? MashState.Of(mash, page)
            : null;
    }

    /// <summary>One watched mash: its streams, the job to read while it runs, and the reading they wait for.</summary>
    internal sealed class Watched(string mashId)
    {
        public string MashId { get; } = mashId;

        /// <summary>The job the loop reads while it is queued or running; null until the mash has been read. The loop's alone.</summary>
        public string? JobId { get; set; }

        public int Streams { get; set; }

        public TaskCompletionSource<Reading> Next { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Hands <paramref name="reading"/> to the streams waiting and starts the wait for the next one; under the feed's lock.</summary>
        public void Publish(Reading reading)
        {
            var current = Next;
            Next = new(TaskCreationOptions.RunContinuationsAsynchronously);
            current.SetResult(reading);
        }
    }
}
