namespace Mergepoints.Counter.Storage;

/// <summary>
/// What a log or snapshot record says. The numbers are written to disk: never renumber one, add new ones.
/// </summary>
/// <remarks>
/// A build refuses a log holding a type it does not know, so a new type is a one-way step: builds before
/// <see cref="ResetSong"/> stop at start-up on a log where a song was reset, with "A record of type 6 does not
/// belong in the counter log" and no file named. This build names the file and byte of any such record.
/// </remarks>
internal enum RecordType : byte
{
    /// <summary>A song's count grew: song id, amount (one group's plays of a song coalesced into one record).</summary>
    Increment = 1,

    /// <summary>Every count went to zero.</summary>
    Reset = 2,

    /// <summary>A write-behind batch was sent to the database: seq and each song's delta.</summary>
    FlushBegin = 3,

    /// <summary>The database committed the batch of that seq: its deltas come off the counts.</summary>
    FlushCommit = 4,

    /// <summary>The database never committed the batch of that seq: the counts stay.</summary>
    FlushAbort = 5,

    /// <summary>One song's count went to zero: song id.</summary>
    ResetSong = 6,

    /// <summary>Opens a snapshot: the segment it precedes, the last flush seq, the number of songs.</summary>
    SnapshotHeader = 16,

    /// <summary>A chunk of a snapshot's songs with their counts.</summary>
    SnapshotSongs = 17,

    /// <summary>Closes a snapshot; a snapshot without it is incomplete and ignored.</summary>
    SnapshotEnd = 18,
}
