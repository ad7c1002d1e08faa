namespace Mergepoints.Counter.Storage;

/// <summary>The counter's settings, section <c>Counter</c> of appsettings.json.</summary>
public sealed class CounterOptions
{
    /// <summary>Where the log and snapshots live; empty means <c>DATA/counter</c> (the host fills it in). Unused in memory mode.</summary>
    public string Directory { get; set; } = "";

    /// <summary>See <see cref="Storage.Durability"/>.</summary>
    public Durability Durability { get; set; } = Durability.Fsync;

    /// <summary>The fsync period for <see cref="Durability.Batch"/>: the most a crash can lose.</summary>
    public int BatchMilliseconds { get; set; } = 50;

    /// <summary>
    /// A snapshot is written once the log has grown by this much, bounding the log and start-up time; 0 or less
    /// turns snapshots off (the log then grows for ever: for benchmarks of replay).
    /// </summary>
    public long SnapshotAfterBytes { get; set; } = 64L << 20;

    /// <summary>How often counts are added to <c>songs.play_count</c>; 0 turns write-behind off.</summary>
    public int WriteBehindSeconds { get; set; }
}
