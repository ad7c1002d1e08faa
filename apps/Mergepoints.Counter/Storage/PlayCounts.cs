using System.Buffers;
using System.Runtime.CompilerServices;

namespace Mergepoints.Counter.Storage;

/// <summary>
/// Every song's play count, in memory and in an append-only checksummed log. Reads are lock-free; every change
/// takes one short lock that orders the in-memory change and its log record together (so replay rebuilds
/// exactly what was served), then waits, outside the lock, for the one writer's fsync that covers it.
/// </summary>
public sealed class PlayCounts : IAsyncDisposable
{
    private readonly Lock _gate;
    private readonly CountTable _table;
    private readonly CounterLog? _log;
    private readonly CounterDirectory? _directory;
    private bool _disposed;

    private PlayCounts(Lock gate, CountTable table, Guid counterId, RecoveryReport recovery, CounterLog? log, CounterDirectory? directory)
    {
        _gate = gate;
        _table = table;
        CounterId = counterId;
        Recovery = recovery;
        _log = log;
        _directory = directory;
    }

    /// <summary>
    /// The counter's identity in the database's <c>counter_flushes</c> ledger: kept in <c>counter.id</c>, so it
    /// survives restarts; new for each process in memory mode, whose counts do not survive either.
    /// </summary>
    public Guid CounterId { get; }

    /// <summary>What start-up found on disk: songs from the snapshot, records replayed, bytes of torn tail dropped.</summary>
    public RecoveryReport Recovery { get; }

    /// <summary>What the log writer has done: plays, fsyncs (fewer than plays when group commit works), snapshots.</summary>
    public CounterStatistics Statistics => _log?.Statistics ?? default;

    /// <summary>The newest flush seq begun; the next batch takes the one after.</summary>
    internal long LastFlushSeq
    {
        get
        {
            lock (_gate)
            {
                return _table.LastFlushSeq;
            }
        }
    }

    /// <summary>
    /// One write-behind flush at a time for these counts, whoever runs it: the bookkeeping holds one batch being
    /// read and one pending, and two flushes at once would settle each other's batch. A flush asked for while
    /// another runs waits for its turn. Never disposed: it is only awaited, never asked for its wait handle, so
    /// disposing would free nothing and could fail a flush still releasing it.
    /// </summary>
    internal SemaphoreSlim FlushTurn { get; } = new(1, 1);

    /// <summary>How many songs reset one by one the open flush read remembers; 0 when no flush reads.</summary>
    internal int SongsResetDuringFlushRead
    {
        get
        {
            lock (_gate)
            {
                return _table.SongsResetDuringFlushRead;
            }
        }
    }

    /// <summary>The write-behind batch sent and not yet settled, if any.</summary>
    internal PendingFlush? PendingFlush
    {
        get
        {
            lock (_gate)
            {
                return _table.PendingFlush;
            }
        }
    }

    /// <summary>Recovers the counts from the newest snapshot and the log after it, dropping a torn tail.</summary>
    /// <exception cref="ArgumentException">The options have a <see cref="CounterOptions.Problem"/>, or name no directory.</exception>
    public static async Task<PlayCounts> OpenAsync(CounterOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }
        var gate = new Lock();
        var table = new CountTable();
        if (options.Durability == Durability.Memory)
        {
            table.EndRecovery();
            return new PlayCounts(gate, table, Guid.NewGuid(), RecoveryReport.Empty, log: null, directory: null);
        }
        if (string.IsNullOrWhiteSpace(options.Directory))
        {
            throw new ArgumentException("The counter needs a directory for its log unless its durability is memory.", nameof(options));
        }
        // Replay is CPU and disk work for up to seconds: keep it off the caller's context.
        return await Task.Run(() =>
        {
            var directory = CounterDirectory.Open(options.Directory);
            try
            {
                var counterId = directory.ReadOrCreateId();
                var recovered = LogRecovery.Run(directory, table);
                try
                {
                    var log = new CounterLog(gate, directory, options, recovered.Segment, recovered.SegmentNumber, recovered.SinceSnapshot);
                    return new PlayCounts(gate, table, counterId, recovered.Report, log, directory);
                }
                catch
                {
                    recovered.Segment.Dispose();
                    throw;
                }
            }
            catch
            {
                directory.Dispose();
                throw;
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The song's count, 0 when never played. Lock-free.</summary>
    public long Get(string songId) => _table.Get(songId);

    /// <summary>
    /// Adds one and returns the song's new count, once the increment is as durable as
    /// <see cref="CounterOptions.Durability"/> asks. Cancellation is honoured only before the play is taken: once
    /// in a batch it will be written, so the caller waits for that (one fsync) rather than being told otherwise.
    /// </summary>
    /// <exception cref="ArgumentException">The id is empty, over 128 UTF-8 bytes, not valid Unicode, or holds a control character.</exception>
    /// <exception cref="IOException">The log could not be written; the counter needs a restart.</exception>
    public ValueTask<long> IncrementAsync(string songId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        long count;
        Task? durable;
        var wake = false;
        lock (_gate)
        {
            ThrowIfUnusable();
            count = _table.Add(songId, 1);
            durable = _log?.AppendPlay(songId, out wake);
        }
        if (wake)
        {
            _log!.Wake();
        }
        return durable is null ? new ValueTask<long>(count) : AwaitDurable(durable, count);
    }

    /// <summary>Every song with a count above zero, ordered by id.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> All() => _table.Positive();

    /// <summary>Clears every count, durably.</summary>
    public async ValueTask ResetAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await ChangeAsync(LogRecords.WriteReset, static table => table.Clear()).ConfigureAwait(false);
    }

    /// <summary>
    /// Clears one song's count, durably. A write-behind batch already on its way keeps its plays of the song (the
    /// database may be committing them) but takes nothing off the plays counted after this; a batch still being
    /// prepared that holds the song is dropped, so the cleared plays never reach the database (the flush reads the
    /// counts again).
    /// </summary>
    /// <exception cref="ArgumentException">The id is one the log cannot hold, so it was never counted.</exception>
    /// <exception cref="IOException">The log could not be written; the counter needs a restart.</exception>
    public async ValueTask ResetSongAsync(string songId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        SongId.Validate(songId);
        await ChangeAsync(output => LogRecords.WriteResetSong(output, songId), table => table.ResetSong(songId)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
        }
        try
        {
            if (_log is not null)
            {
                await _log.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            // Whatever closing the log threw, the directory's lock goes, or no process could open it again.
            _directory?.Dispose();
        }
    }

    /// <summary>
    /// The counts for a write-behind batch, with the number of resets they follow: a batch is begun only if no
    /// reset, of every count or of one of its songs, has come since (see <see cref="TryBeginFlushAsync"/>). The
    /// caller holds <see cref="FlushTurn"/>, and ends the read with <see cref="TryBeginFlushAsync"/> or
    /// <see cref="EndFlushRead"/>.
    /// </summary>
    internal (long Resets, IReadOnlyList<KeyValuePair<string, long>> Counts) CountsToFlush()
    {
        long resets;
        lock (_gate)
        {
            resets = _table.MarkFlushRead();
        }
        // Read after the mark: a reset while reading is seen by the mark, so the batch is refused.
        return (resets, _table.Positive());
    }

    /// <summary>The read <see cref="CountsToFlush"/> began is over without a batch; nothing when it already ended.</summary>
    internal void EndFlushRead()
    {
        lock (_gate)
        {
            _table.EndFlushRead();
        }
    }

    /// <summary>Logs, durably in every mode, that batch <paramref name="flush"/> is being sent to the database.</summary>
    internal ValueTask BeginFlushAsync(PendingFlush flush) =>
        ChangeAsync(output => LogRecords.WriteFlushBegin(output, flush), table => table.BeginFlush(flush));

    /// <summary>
    /// As <see cref="BeginFlushAsync"/>, unless the counts, or one of the batch's songs, have been reset since they
    /// were read with <see cref="CountsToFlush"/> (<paramref name="resets"/>): false then, and nothing is logged.
    /// </summary>
    internal ValueTask<bool> TryBeginFlushAsync(PendingFlush flush, long resets) =>
        TryChangeAsync(output => LogRecords.WriteFlushBegin(output, flush), table => table.TryBeginFlush(flush, resets));

    /// <summary>The database has batch <paramref name="seq"/>: its deltas come off the counts, durably.</summary>
    internal ValueTask CommitFlushAsync(long seq) =>
        ChangeAsync(output => LogRecords.WriteFlushEnd(output, RecordType.FlushCommit, seq), table => table.CommitFlush(seq));

    /// <summary>The database never got batch <paramref name="seq"/>: the counts stay, durably.</summary>
    internal ValueTask AbortFlushAsync(long seq) =>
        ChangeAsync(output => LogRecords.WriteFlushEnd(output, RecordType.FlushAbort, seq), table => table.AbortFlush(seq));

    private async ValueTask ChangeAsync(Action<IBufferWriter<byte>> encode, Action<CountTable> apply) =>
        await TryChangeAsync(encode, table =>
        {
            apply(table);
            return true;
        }).ConfigureAwait(false);

    /// <summary>
    /// A change other than a play: encoded outside the lock, applied and appended under it (the table throws,
    /// or returns false, first when the change is not allowed, so nothing is logged then), and awaited until on disk.
    /// </summary>
    private async ValueTask<bool> TryChangeAsync(Action<IBufferWriter<byte>> encode, Func<CountTable, bool> apply)
    {
        var record = new ArrayBufferWriter<byte>();
        encode(record);
        Task? durable;
        lock (_gate)
        {
            ThrowIfUnusable();
            if (!apply(_table))
            {
                return false;
            }
            durable = _log?.AppendRecords(record.WrittenSpan);
        }
        if (durable is not null)
        {
            _log!.Wake();
            await durable.ConfigureAwait(false);
        }
        return true;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<long> AwaitDurable(Task durable, long count)
    {
        await durable.ConfigureAwait(false);
        return count;
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _log?.ThrowIfUnusable();
    }
}
