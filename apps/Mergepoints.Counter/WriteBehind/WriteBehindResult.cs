namespace Mergepoints.Counter.WriteBehind;

/// <summary>What one <see cref="SongsWriteBehind.FlushAsync"/> did, for the host's log line.</summary>
/// <param name="Seq">The batch's seq in <c>counter_flushes</c>; 0 when nothing was flushed.</param>
/// <param name="Songs">Songs whose <c>play_count</c> grew.</param>
/// <param name="Plays">Plays moved from the counter to the database.</param>
/// <param name="SongsWithoutRow">Songs with plays but no row in <c>songs</c>: their plays stay in the counter.</param>
/// <param name="Settled">What became of a batch an earlier crash or failure left unsettled.</param>
public sealed record WriteBehindResult(long Seq, int Songs, long Plays, IReadOnlyList<string> SongsWithoutRow, PendingFlushOutcome Settled);
