namespace Mergepoints.Mash.Jobs;

/// <summary>
/// Section <c>Jobs</c> of appsettings.json (or <c>Jobs__LeaseSeconds=2</c> in the environment): how the queue
/// leases and retries, and how many workers a process runs. Seconds are fractional so tests can go fast.
/// </summary>
public sealed record JobsOptions
{
    /// <summary>Workers per process; 0 means one per core.</summary>
    public int Workers { get; set; }

    /// <summary>
    /// Whether <c>serve</c> runs workers itself: false when separate <c>worker</c> processes do all the work. Unset,
    /// a <c>serve</c> runs them when its site mounts MonsterMash, whose data directory holds the songs a mash reads:
    /// a process serving something else on the shared datastore (a counter shard) would claim mashes it cannot do.
    /// </summary>
    public bool? InProcess { get; set; }

    /// <summary>How long a claim lasts without a heartbeat; a worker heartbeats every third of it.</summary>
    public double LeaseSeconds { get; set; } = 30;

    /// <summary>How many starts a job gets before it fails for good.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The wait before the first retry; each later one waits twice as long as the one before.</summary>
    public double BackoffSeconds { get; set; } = 5;

    /// <summary>The longest wait between retries, however many there were.</summary>
    public double MaxBackoffSeconds { get; set; } = 300;

    /// <summary>How often an idle worker looks for work queued by another process.</summary>
    public double PollMilliseconds { get; set; } = 500;

    /// <summary>How long a stopping worker lets its current job finish before it gives the job back to the queue.</summary>
    public double StopGraceSeconds { get; set; } = 10;

    /// <summary>The number of workers <see cref="Workers"/> means on this machine.</summary>
    public int WorkerCount => Workers > 0 ? Workers : Environment.ProcessorCount;

    /// <summary>How long a claim lasts.</summary>
    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);

    /// <summary>The wait before attempt <paramref name="attempt"/> + 1, after attempt <paramref name="attempt"/> failed.</summary>
    public TimeSpan BackoffAfter(int attempt) =>
        TimeSpan.FromSeconds(Math.Min(MaxBackoffSeconds, BackoffSeconds * Math.Pow(2, Math.Max(0, attempt - 1))));

    /// <summary>Refuses settings that cannot work, with the setting's name, once at start.</summary>
    public JobsOptions Validate()
    {
        Check(Workers >= 0, "Jobs:Workers must be 0 (one per core) or more");
        Check(LeaseSeconds > 0, "Jobs:LeaseSeconds must be more than 0");
        Check(MaxAttempts >= 1, "Jobs:MaxAttempts must be at least 1");
        Check(BackoffSeconds >= 0 && MaxBackoffSeconds >= 0, "Jobs:BackoffSeconds and Jobs:MaxBackoffSeconds must not be negative");
        Check(PollMilliseconds > 0, "Jobs:PollMilliseconds must be more than 0");
        Check(StopGraceSeconds >= 0, "Jobs:StopGraceSeconds must not be negative");
        return this;
    }

    private static void Check(bool ok, string problem)
    {
        if (!ok)
        {
            throw new InvalidOperationException(problem);
        }
    }
}
