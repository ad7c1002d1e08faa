using System.Buffers;
using System.Runtime.InteropServices;

namespace Mergepoints.Counter.Storage;

/// <summary>
/// What arrived since the writer last took a batch: plays coalesced per song, and other records in order. Two
/// batches take turns, so filling one never waits for the other's write and fsync.
/// </summary>
internal sealed class PendingBatch
{
    private readonly Dictionary<string, long> _plays = new(StringComparer.Ordinal);
    private readonly ArrayBufferWriter<byte> _records = new(1 << 16);

    /// <summary>Completes when the batch is on disk (faults when writing it failed): every caller in it awaits this one task.</summary>
    public TaskCompletionSource Durable { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>How many plays the batch holds.</summary>
    public long Plays { get; private set; }

    public bool IsEmpty => _plays.Count == 0 && _records.WrittenCount == 0;

    /// <summary>Whether records other than plays are waiting (they want the writer at once).</summary>
    public bool HasRecords => _records.WrittenCount > 0;

    public void AddPlay(string songId)
    {
        CollectionsMarshal.GetValueRefOrAddDefault(_plays, songId, out _)++;
        Plays++;
    }

    /// <summary>Adds records already sealed; the plays before them are written first, so the log keeps the order.</summary>
    public void AddRecords(ReadOnlySpan<byte> records)
    {
        EncodePlays();
        _records.Write(records);
    }

    /// <summary>The batch as bytes for the log.</summary>
    public ReadOnlySpan<byte> Encode()
    {
        EncodePlays();
        return _records.WrittenSpan;
    }

    /// <summary>Empties the batch for its next turn, with a fresh task for its next callers.</summary>
    public void Recycle()
    {
        _records.ResetWrittenCount();
        Plays = 0;
        Durable = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private void EncodePlays()
    {
        foreach (var (songId, amount) in _plays)
        {
            LogRecords.WriteIncrement(_records, songId, amount);
        }
        _plays.Clear();
    }
}
