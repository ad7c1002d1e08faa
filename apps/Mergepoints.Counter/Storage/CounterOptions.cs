namespace Mergepoints.Counter.Storage;

/// <summary>The counter's settings, section <c>Counter</c> of appsettings.json.</summary>
public sealed class CounterOptions
{
    /// <summary>Where the log and snapshots live; empty means <c>DATA/counter</c> (the host fills it in). Unused in memory mode.</summary>
    public string Directory { get; set; } = "";

    /// <summary>See <see cref="Storage.Durability"/>.</summary>
    public Durability Durability { get; set; } = Durability.Fsync;

    /// <summary>The longest fsync period, and write-behind period: past these a setting is a typo, not a choice.</summary>
    public const int MaxBatchMilliseconds = 60_000, MaxWriteBehindSeconds = 86_400;

    /// <summary>The fsync period for <see cref="Durability.Batch"/>: the most a crash can lose. 1 to <see cref="MaxBatchMilliseconds"/>.</summary>
    public int BatchMilliseconds { get; set; } = 50;

    /// <summary>
    /// A snapshot is written once the log has grown by this much, bounding the log and start-up time; 0 or less
    /// turns snapshots off (the log then grows for ever: for benchmarks of replay).
    /// </summary>
    public long SnapshotAfterBytes { get; set; } = 64L << 20;

    /// <summary>
    /// How often counts are added to <c>songs.play_count</c> on their own (default a minute: the site's songs table
    /// should not lag the counter by much); 0 turns the automatic flushes off, leaving an admin's
    /// <c>POST /flush</c>. At most <see cref="MaxWriteBehindSeconds"/>.
    /// </summary>
    public int WriteBehindSeconds { get; set; } = 60;

    /// <summary>
    /// What is wrong with these settings, in one line, or null when the counter can run on them. The host asks
    /// before it starts, so a bad setting is a config error rather than a writer thread that spins (a period of
    /// 0), never fsyncs (-1: a crash loses every play) or dies (below -1).
    /// </summary>
    public string? Problem() =>
        !Enum.IsDefined(Durability) ? $"Durability must be fsync, batch or memory, not {(int)Durability}"
        : BatchMilliseconds is < 1 or > MaxBatchMilliseconds ? $"BatchMilliseconds must be between 1 and {MaxBatchMilliseconds}, not {BatchMilliseconds}"
        : WriteBehindSeconds is < 0 or > MaxWriteBehindSeconds ? $"WriteBehindSeconds must be between 0 (off) and {MaxWriteBehindSeconds}, not {WriteBehindSeconds}"
        : null;
}
