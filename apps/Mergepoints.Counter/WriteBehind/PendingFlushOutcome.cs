namespace Mergepoints.Counter.WriteBehind;

/// <summary>What became of a flush batch that a crash or a failed commit had left unsettled.</summary>
public enum PendingFlushOutcome
{
    /// <summary>There was none.</summary>
    None,

    /// <summary>The database had committed it: its plays came off the counter now.</summary>
    Committed,

    /// <summary>The database never committed it: its plays stayed in the counter and go out with the next batch.</summary>
    Aborted,
}
