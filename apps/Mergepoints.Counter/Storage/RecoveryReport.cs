namespace Mergepoints.Counter.Storage;

/// <summary>What opening the counter found on disk: for the start-up log line and for tests of a damaged log.</summary>
/// <param name="SnapshotSongs">Songs loaded from the newest valid snapshot (0 without one).</param>
/// <param name="ReplayedRecords">Log records replayed after the snapshot.</param>
/// <param name="DroppedBytes">Bytes cut off the log's end because they were torn or corrupt (a crash mid-write).</param>
/// <param name="Elapsed">How long recovery took.</param>
public sealed record RecoveryReport(int SnapshotSongs, long ReplayedRecords, long DroppedBytes, TimeSpan Elapsed)
{
    /// <summary>What a counter in memory mode, or a new one, starts from.</summary>
    public static RecoveryReport Empty { get; } = new(0, 0, 0, TimeSpan.Zero);
}
