namespace Mergepoints.Counter.Storage;

/// <summary>What <see cref="RecordFraming.TryRead"/> found at the start of a buffer.</summary>
internal enum RecordStatus
{
    /// <summary>A whole record with a good checksum.</summary>
    Complete,

    /// <summary>The bytes end inside the record.</summary>
    Incomplete,

    /// <summary>An impossible length or a failed checksum.</summary>
    Corrupt,
}
