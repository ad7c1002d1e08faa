using System.Collections.Immutable;

namespace Mergepoints.Counter.Storage;

/// <summary>
/// A write-behind batch that was logged as sent to the database and not yet settled: its deltas still count
/// in the counter until a flush-commit takes them off, or a flush-abort says the database never got them.
/// </summary>
/// <param name="Seq">The batch's number for this counter, the key of its row in <c>counter_flushes</c>.</param>
/// <param name="Deltas">
/// Each song and the plays the batch added to its <c>play_count</c>; a lookup, because a reset of one song asks
/// whether the batch holds it under the lock every play takes.
/// </param>
internal sealed record PendingFlush(long Seq, IReadOnlyDictionary<string, long> Deltas)
{
    /// <summary>
    /// The batch's songs reset one by one since it was logged: their plays are on their way to the database, but
    /// the commit must not take them off the plays counted since. A small set beside the deltas rather than a copy
    /// of the deltas without the song, so that a reset costs the same however big the batch.
    /// </summary>
    public ImmutableHashSet<string> ResetSince { get; init; } = [];

    /// <summary>What the batch's commit takes off the counts: its deltas but for the songs reset since.</summary>
    public IReadOnlyCollection<KeyValuePair<string, long>> ToTakeOff =>
        ResetSince.IsEmpty ? Deltas : [.. Deltas.Where(delta => !ResetSince.Contains(delta.Key))];
}
