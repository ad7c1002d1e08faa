namespace Mergepoints.Counter.Storage;

/// <summary>
/// A write-behind batch that was logged as sent to the database and not yet settled: its deltas still count
/// in the counter until a flush-commit takes them off, or a flush-abort says the database never got them.
/// </summary>
/// <param name="Seq">The batch's number for this counter, the key of its row in <c>counter_flushes</c>.</param>
/// <param name="Deltas">Each song and the plays the batch added to its <c>play_count</c>.</param>
internal sealed record PendingFlush(long Seq, IReadOnlyList<KeyValuePair<string, long>> Deltas);
