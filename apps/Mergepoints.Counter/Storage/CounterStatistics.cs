namespace Mergepoints.Counter.Storage;

/// <summary>
/// What the log writer has done since the counter opened: shows group commit at work (many plays per fsync)
/// and whether snapshots keep up. All zero in memory mode.
/// </summary>
/// <param name="LoggedPlays">Plays written to the log.</param>
/// <param name="Fsyncs">Writes to the log, each followed by exactly one fsync.</param>
/// <param name="BytesWritten">Log bytes written.</param>
/// <param name="Snapshots">Snapshots made durable.</param>
/// <param name="SnapshotFailures">Snapshots that could not be written (the log keeps everything meanwhile).</param>
public readonly record struct CounterStatistics(long LoggedPlays, long Fsyncs, long BytesWritten, long Snapshots, long SnapshotFailures);
