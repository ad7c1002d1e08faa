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
