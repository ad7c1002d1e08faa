namespace Mergepoints.Counter.Storage;

/// <summary>How hard the counter tries to keep a count through a crash.</summary>
public enum Durability
{
    /// <summary>An increment is answered after the fsync that covers it (group commit).</summary>
    Fsync,
    /// <summary>Answered at once; the log is fsynced every <see cref="CounterOptions.BatchMilliseconds"/>.</summary>
    Batch,
    /// <summary>Nothing written: counts live as long as the process.</summary>
    Memory,
}

/// <summary>The counter's settings, section <c>Counter</c> of appsettings.json.</summary>
public sealed class CounterOptions
{
    /// <summary>Where the log and snapshots live; empty means <c>DATA/counter</c>.</summary>
    public string Directory { get; set; } = "";

    /// <summary>See <see cref="Storage.Durability"/>.</summary>
    public Durability Durability { get; set; } = Durability.Fsync;

    /// <summary>The fsync period for <see cref="Durability.Batch"/>: the most a crash can lose.</summary>
    public int BatchMilliseconds { get; set; } = 50;

    /// <summary>A snapshot is written once the log has grown by this much, bounding the log and start-up time.</summary>
    public long SnapshotAfterBytes { get; set; } = 64L << 20;

    /// <summary>How often counts are added to <c>songs.play_count</c>; 0 turns write-behind off.</summary>
    public int WriteBehindSeconds { get; set; }
}

/// <summary>
/// Every song's play count, in memory and in an append-only checksummed log. (Skeleton: the storage work
/// replaces these bodies.)
/// </summary>
public sealed class PlayCounts : IAsyncDisposable
{
    private PlayCounts()
    {
    }

    /// <summary>Recovers the counts from the newest snapshot and the log after it, dropping a torn tail.</summary>
    public static Task<PlayCounts> OpenAsync(CounterOptions options, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    /// <summary>The song's count, 0 when never played.</summary>
    public long Get(string songId) => throw new NotImplementedException();

    /// <summary>Adds one; completes once the increment is as durable as <see cref="CounterOptions.Durability"/> asks.</summary>
    public ValueTask<long> IncrementAsync(string songId, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Every song with a count above zero, ordered by id.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> All() => throw new NotImplementedException();

    /// <summary>Clears every count, durably.</summary>
    public ValueTask ResetAsync(CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => throw new NotImplementedException();
}
