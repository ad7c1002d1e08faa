using System.Diagnostics;

namespace Mergepoints.Counter.Storage;

/// <summary>
/// The append side of the log: callers add to a pending batch under the counter's lock and await the batch;
/// ONE writer thread swaps the batch out, writes it with one write and fsyncs once (group commit: one fsync
/// covers every play that arrived meanwhile), then completes everybody in it. No lock is held across I/O: the
/// lock guards only the swap. When the log has grown enough the writer rolls to a new segment and has a
/// snapshot built in the background.
/// </summary>
/// <remarks>
/// A dedicated thread rather than an async loop: fsync blocks, and a blocked pool thread would starve the
/// requests it is meant to serve.
///
/// Snapshots never pause plays: rather than copy the live table (a million songs took 35–200 ms under the
/// lock here), a background task rebuilds the state at the segment boundary from the files themselves, the
/// previous snapshot and the complete segments, with recovery's own replay. The files are the copy that
/// nobody writes to any more, and a snapshot is by construction exactly what recovery would have rebuilt.
/// </remarks>
internal sealed class CounterLog : IAsyncDisposable
{
    /// <summary>The longest a batch waits for callers it expects, however slow the disk.</summary>
    private static readonly TimeSpan MaxPatience = TimeSpan.FromMilliseconds(2);

    private readonly Lock _gate;
    private readonly CounterDirectory _directory;
    private readonly CounterOptions _options;
    private readonly ManualResetEventSlim _wake = new(false);
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Thread _writer;

    private PendingBatch _pending = new();
    private PendingBatch _spare = new();
    private FileStream _segment;
    private long _segmentNumber;
    private long _sinceSnapshot;
    private long _gatherTarget = 1;
    private Task _snapshot = Task.CompletedTask;
    private bool _stopping;
    private Exception? _failure;

    private long _plays;
    private long _writes;
    private long _bytes;
    private long _snapshots;
    private long _snapshotFailures;

    /// <param name="gate">The lock that orders table changes and log appends together.</param>
    /// <param name="directory">Where segments and snapshots go.</param>
    /// <param name="options">Durability, batch period, snapshot threshold.</param>
    /// <param name="segment">The open last segment, positioned at its end.</param>
    /// <param name="segmentNumber">Its number.</param>
    /// <param name="sinceSnapshot">Log bytes since the newest snapshot.</param>
    public CounterLog(Lock gate, CounterDirectory directory, CounterOptions options, FileStream segment, long segmentNumber, long sinceSnapshot)
    {
        _gate = gate;
        _directory = directory;
        _options = options;
        _segment = segment;
        _segmentNumber = segmentNumber;
        _sinceSnapshot = sinceSnapshot;
        _writer = new Thread(Run) { IsBackground = true, Name = "counter log writer" };
        _writer.Start();
    }

    /// <summary>Every segment starts with this, so a stray file is never replayed as a log.</summary>
    public static ReadOnlySpan<byte> SegmentMagic => "MPLOG001"u8;

    /// <summary>What the writer has done so far.</summary>
    public CounterStatistics Statistics => new(
        Interlocked.Read(ref _plays), Interlocked.Read(ref _writes), Interlocked.Read(ref _bytes),
        Interlocked.Read(ref _snapshots), Interlocked.Read(ref _snapshotFailures));

    /// <summary>
    /// Under the gate, after <see cref="ThrowIfUnusable"/>: adds a play. Returns the task to await in fsync mode (null in batch mode: answer at once);
    /// <paramref name="wake"/> asks the caller to <see cref="Wake"/> the writer once it has left the lock.
    /// </summary>
    public Task? AppendPlay(string songId, out bool wake)
    {
        var fsync = _options.Durability == Durability.Fsync;
        _pending.AddPlay(songId);
        wake = fsync && _pending.Plays == _gatherTarget;
        return fsync ? _pending.Durable.Task : null;
    }

    /// <summary>Under the gate, after <see cref="ThrowIfUnusable"/>: adds sealed records and returns the task that completes once they are on disk, whatever the durability.</summary>
    public Task AppendRecords(ReadOnlySpan<byte> records)
    {
        _pending.AddRecords(records);
        return _pending.Durable.Task;
    }

    /// <summary>Outside the gate: tells the writer a batch is waiting.</summary>
    public void Wake() => _wake.Set();

    /// <summary>Writes what is pending, waits for a snapshot in progress, and closes the segment.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _stopping = true;
        }
        _wake.Set();
        await _stopped.Task.ConfigureAwait(false);
        try
        {
            await _snapshot.ConfigureAwait(false);
        }
        finally
        {
            // The writer has stopped (_stopped never faults); a failed snapshot must not keep the segment open.
            try
            {
                await _segment.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                _wake.Dispose();
            }
        }
    }

    /// <summary>
    /// Creates segment <paramref name="number"/> durably and returns it open for appending. When that fails the
    /// file goes again: the log stays in the previous segment, and a newer one left beside it would make that
    /// segment's torn tail look like damage after a crash.
    /// </summary>
    public static FileStream CreateSegment(CounterDirectory directory, long number)
    {
        var path = directory.SegmentPath(number);
        var segment = OpenSegment(path, FileMode.Create);
        try
        {
            segment.Write(SegmentMagic);
            segment.Flush(flushToDisk: true);
            directory.Sync();
            return segment;
        }
        catch
        {
            segment.Dispose();
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Recovery removes a trailing segment that holds no record.
            }
            throw;
        }
    }

    /// <summary>Opens a segment unbuffered: each batch is one write call, and fsync follows it directly.</summary>
    public static FileStream OpenSegment(string path, FileMode mode) =>
        new(path, mode, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);

    /// <summary>Under the gate: throws once a write has failed (or the log is closing), before any change is made.</summary>
    public void ThrowIfUnusable()
    {
        if (_failure is not null)
        {
            throw new IOException("The counter log could not be written; the counter takes no more plays until it is restarted.", _failure);
        }
        ObjectDisposedException.ThrowIf(_stopping, this);
    }

    private void Run()
    {
        PendingBatch? batch = null;
        try
        {
            var stopping = false;
            var expected = 1L;
            var patience = Timeout.InfiniteTimeSpan;
            while (true)
            {
                if (!stopping)
                {
                    WaitForBatch(expected, patience);
                }
                lock (_gate)
                {
                    stopping = _stopping;
                    if (_pending.IsEmpty)
                    {
                        if (stopping)
                        {
                            return;
                        }
                        (expected, patience) = (1, Timeout.InfiniteTimeSpan);
                        continue;
                    }
                    batch = _pending;
                    _pending = _spare;
                    _gatherTarget = long.MaxValue;
                }
                var started = Stopwatch.GetTimestamp();
                Write(batch);
                patience = TimeSpan.FromTicks(Math.Min(Stopwatch.GetElapsedTime(started).Ticks, MaxPatience.Ticks));
                lock (_gate)
                {
                    // Everyone now waiting plus everyone about to be released: the next batch waits for them.
                    expected = _pending.Plays + batch.Plays;
                }
                batch.Durable.TrySetResult();
                batch.Recycle();
                _spare = batch;
                batch = null;
                if (!stopping && _options.SnapshotAfterBytes > 0 && _sinceSnapshot >= _options.SnapshotAfterBytes && _snapshot.IsCompleted)
                {
                    StartSnapshot();
                }
            }
        }
        catch (Exception e)
        {
            // The disk refused a write or an fsync: after a failed fsync the kernel may have dropped the dirty
            // pages, so nothing written since the last good fsync can be trusted. Stop taking plays; a restart
            // recovers from what is really on disk.
            lock (_gate)
            {
                _failure = e;
                _pending.Durable.TrySetException(e);
            }
            batch?.Durable.TrySetException(e);
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    /// <summary>
    /// Batch mode: sleeps one period (or until a record that must be durable now arrives). Fsync mode: waits
    /// until <paramref name="expected"/> plays are pending, at most <paramref name="patience"/>. Without that
    /// wait the callers split into two groups that take turns, each fsync carrying half of them: the callers a
    /// batch releases come back only after the writer has already taken the next batch. Waiting for them
    /// (PostgreSQL's commit_delay, made adaptive) lets one fsync carry more of them. The wait is at most as long
    /// as the last fsync took: waiting longer would cost more than the fsync it saves.
    /// </summary>
    private void WaitForBatch(long expected, TimeSpan patience)
    {
        if (_options.Durability == Durability.Batch)
        {
            _wake.Wait(_options.BatchMilliseconds);
            _wake.Reset();
            return;
        }
        lock (_gate)
        {
            if (_stopping || _pending.Plays >= expected || _pending.HasRecords)
            {
                return;
            }
            _gatherTarget = expected;
            _wake.Reset();
        }
        _wake.Wait(patience);
    }

    private void Write(PendingBatch batch)
    {
        var bytes = batch.Encode();
        _segment.Write(bytes);
        _segment.Flush(flushToDisk: true);
        _sinceSnapshot += bytes.Length;
        Interlocked.Add(ref _plays, batch.Plays);
        Interlocked.Add(ref _bytes, bytes.Length);
        Interlocked.Increment(ref _writes);
    }

    /// <summary>Rolls to a new segment and has the state before it written as a snapshot, in the background.</summary>
    private void StartSnapshot()
    {
        var number = _segmentNumber + 1;
        FileStream next;
        try
        {
            next = CreateSegment(_directory, number);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No snapshot this time, and no retry before the log has grown as much again.
            Interlocked.Increment(ref _snapshotFailures);
            _sinceSnapshot = 0;
            return;
        }
        _segment.Dispose();
        _segment = next;
        _segmentNumber = number;
        _sinceSnapshot = 0;
        _snapshot = Task.Factory.StartNew(() => WriteSnapshot(number), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private void WriteSnapshot(long number)
    {
        try
        {
            var table = new CountTable();
            LogRecovery.ReplayBefore(_directory, table, number);
            SnapshotFile.Write(_directory, new SnapshotFile.State(number, table.LastFlushSeq, table.PendingFlush, table.Copy()));
            // Only once the snapshot is durable may the history it replaces go.
            LogRecovery.RemoveBefore(_directory, number);
            Interlocked.Increment(ref _snapshots);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            // Nothing is lost: the segments stay until a later snapshot succeeds.
            Interlocked.Increment(ref _snapshotFailures);
        }
    }
}
