using System.Data.Common;
using System.Globalization;
using Mergepoints.Counter.Storage;

namespace Mergepoints.Counter.WriteBehind;

/// <summary>
/// Moves plays from the counter into <c>songs.play_count</c>, exactly once: each batch's updates commit in one
/// transaction together with the batch's row in the <c>counter_flushes</c> ledger, and the counter logs the
/// batch (flush-begin) durably BEFORE that commit and takes the plays off (flush-commit) after it. A crash in
/// between leaves a flush-begin with no end; the next flush asks the ledger whether the batch committed and
/// settles it either way, so no play is lost or counted twice.
/// </summary>
/// <remarks>
/// Order of one flush: read the counts; open the transaction; insert the ledger row and update each song,
/// leaving out songs that have no row; log flush-begin with exactly the deltas the transaction holds; commit;
/// log flush-commit. Logging flush-begin inside the transaction (rather than before it) means the batch is
/// known to the letter before it can commit, so settling it after a crash needs nothing but the ledger.
/// Plays that arrive meanwhile only add to the counts; a commit subtracts the batch's deltas, never below zero.
/// A reset before flush-begin drops the batch (its plays were cleared) and the flush reads the counts again; a
/// reset after it does not: the batch is already on its way, so its plays reach the database and the reset clears
/// what the counter holds. A reset of one song does the same for that song: it drops a batch being prepared that
/// holds the song, and takes the song's delta out of a batch on its way, so that batch's commit leaves the plays
/// made since the reset alone.
/// </remarks>
public sealed class SongsWriteBehind
{
    private const int MaxReads = 3;

    /// <summary>Song updates per round trip where the provider batches them.</summary>
    private const int BatchSize = 500;

    private const string UpdateSql = "UPDATE songs SET play_count = play_count + @n WHERE id = @id";

    private readonly PlayCounts _counts;
    private readonly Func<CancellationToken, Task<DbConnection>> _openConnection;

    /// <param name="counts">The counter whose plays go to the database.</param>
    /// <param name="openConnection">Opens a connection to the shared datastore (SQLite or PostgreSQL); the flush disposes it.</param>
    public SongsWriteBehind(PlayCounts counts, Func<CancellationToken, Task<DbConnection>> openConnection)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(openConnection);
        _counts = counts;
        _openConnection = openConnection;
    }

    /// <summary>For tests: runs after the songs are updated in the open transaction and before flush-begin is logged.</summary>
    internal Func<long, Task>? BeforeFlushBegin { get; set; }

    /// <summary>For crash tests: runs after flush-begin is logged and before the database commit.</summary>
    internal Func<long, Task>? BeforeDatabaseCommit { get; set; }

    /// <summary>For crash tests: runs after the database commit and before flush-commit is logged.</summary>
    internal Func<long, Task>? AfterDatabaseCommit { get; set; }

    /// <summary>
    /// Settles a batch an earlier crash left open, then adds every count above zero to its song's
    /// <c>play_count</c> and takes it off the counter. The host calls this every
    /// <see cref="CounterOptions.WriteBehindSeconds"/>, and an admin may ask for one now. A call while another
    /// flush of the same counts runs (from this write-behind or another) waits for it and then flushes what is
    /// left, so every play counted before the call is flushed when it returns (unless reset meanwhile, or its song
    /// has no row), even when a reset refuses its first batch. When it throws, nothing is lost: an unsettled batch
    /// is settled by the next call.
    /// </summary>
    /// <exception cref="WriteBehindException">Two counters share this one's <c>counter.id</c>, or resets kept refusing the batch.</exception>
    /// <exception cref="DbException">The database refused the flush (no <c>songs</c> table, no connection, ...).</exception>
    public async Task<WriteBehindResult> FlushAsync(CancellationToken cancellationToken)
    {
        // The turn is the counts': two write-behinds over one counter take turns as well.
        await _counts.FlushTurn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = await _openConnection(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var settled = await SettlePendingAsync(connection, cancellationToken).ConfigureAwait(false);
                return await FlushCountsAsync(connection, settled, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _counts.FlushTurn.Release();
        }
    }

    /// <summary>
    /// Reads the counts and flushes them; reads again when a reset refused the batch, since the next read sees
    /// the reset and holds only the plays that still count. Resets are an admin's, so a second read nearly always
    /// gets through; the tries are capped all the same, so the caller hears of it rather than waits forever.
    /// </summary>
    private async Task<WriteBehindResult> FlushCountsAsync(DbConnection connection, PendingFlushOutcome settled, CancellationToken cancellationToken)
    {
        for (var read = 1; read <= MaxReads; read++)
        {
            try
            {
                if (await TryFlushCountsAsync(connection, settled, cancellationToken).ConfigureAwait(false) is { } result)
                {
                    return result;
                }
            }
            finally
            {
                // Begun or not, failed or not: the read is over, and the counts stop remembering resets for it.
                _counts.EndFlushRead();
            }
        }
        throw new WriteBehindException($"Resets kept coming while the counts were read for a batch ({MaxReads} reads in a row)");
    }

    /// <summary>One read and its batch; null when a reset refused the batch, and nothing was done.</summary>
    private async Task<WriteBehindResult?> TryFlushCountsAsync(DbConnection connection, PendingFlushOutcome settled, CancellationToken cancellationToken)
    {
        var (resets, counts) = _counts.CountsToFlush();
        if (counts.Count == 0)
        {
            return new WriteBehindResult(0, 0, 0, [], settled);
        }
        var seq = _counts.LastFlushSeq + 1;
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            if (await InsertLedgerRowAsync(transaction, seq, cancellationToken).ConfigureAwait(false) == 0)
            {
                throw new WriteBehindException(
                    $"counter_flushes already holds batch {seq} of counter {_counts.CounterId}: two counters share one counter.id (a copied directory?).");
            }
            await ForgetSettledBatchesAsync(transaction, seq, cancellationToken).ConfigureAwait(false);
            var (deltas, withoutRow) = await UpdateSongsAsync(transaction, counts, cancellationToken).ConfigureAwait(false);
            if (deltas.Count == 0)
            {
                await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                return new WriteBehindResult(0, 0, 0, withoutRow, settled);
            }
            await InvokeAsync(BeforeFlushBegin, seq).ConfigureAwait(false);
            if (!await _counts.TryBeginFlushAsync(new PendingFlush(seq, deltas), resets).ConfigureAwait(false))
            {
                // A reset (of every count, or of a song in the batch) came after the counts were read: the batch
                // holds cleared plays, which must not reach the database, and would take its deltas off the plays
                // made since. Nothing is logged yet, so rolling back undoes it all; the next read starts over from
                // the counts as they are then.
                await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                return null;
            }
            await InvokeAsync(BeforeDatabaseCommit, seq).ConfigureAwait(false);
            // From here the batch is in the log: finish it even if the host is stopping, rather than leave it for
            // the next start to settle.
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            await InvokeAsync(AfterDatabaseCommit, seq).ConfigureAwait(false);
            await _counts.CommitFlushAsync(seq).ConfigureAwait(false);
            return new WriteBehindResult(seq, deltas.Count, deltas.Values.Sum(), withoutRow, settled);
        }
    }

    /// <summary>
    /// Settles the batch the log says was begun and never ended. Its ledger row decides: present, the
    /// database has its plays; absent, it never will. Asked with an insert that does nothing on conflict,
    /// rather than a select, because an insert waits for a transaction still holding that key (a commit in
    /// flight from before a crash) where a select would not see it and answer too early. The insert is always
    /// rolled back: it only asks.
    /// </summary>
    private async Task<PendingFlushOutcome> SettlePendingAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (_counts.PendingFlush is not { } pending)
        {
            return PendingFlushOutcome.None;
        }
        bool committed;
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            committed = await InsertLedgerRowAsync(transaction, pending.Seq, cancellationToken).ConfigureAwait(false) == 0;
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
        }
        if (committed)
        {
            await _counts.CommitFlushAsync(pending.Seq).ConfigureAwait(false);
            return PendingFlushOutcome.Committed;
        }
        await _counts.AbortFlushAsync(pending.Seq).ConfigureAwait(false);
        return PendingFlushOutcome.Aborted;
    }

    private async Task<int> InsertLedgerRowAsync(DbTransaction transaction, long seq, CancellationToken cancellationToken)
    {
        await using var insert = Command(transaction, """
            INSERT INTO counter_flushes (counter_id, seq, flushed_at) VALUES (@counter_id, @seq, @flushed_at)
            ON CONFLICT (counter_id, seq) DO NOTHING
            """);
        Parameter(insert, "@counter_id", _counts.CounterId.ToString("D"));
        Parameter(insert, "@seq", seq);
        Parameter(insert, "@flushed_at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        return await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes this counter's rows before batch <paramref name="seq"/>, so the ledger holds one row per counter
    /// rather than one per batch ever. Only the open batch's row is ever asked for, and every batch before this
    /// one is settled (the flush settles first and begins a batch only with none pending); in this transaction,
    /// the delete happens only if the new batch commits.
    /// </summary>
    private async Task ForgetSettledBatchesAsync(DbTransaction transaction, long seq, CancellationToken cancellationToken)
    {
        await using var delete = Command(transaction, "DELETE FROM counter_flushes WHERE counter_id = @counter_id AND seq < @seq");
        Parameter(delete, "@counter_id", _counts.CounterId.ToString("D"));
        Parameter(delete, "@seq", seq);
        await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds each count to its song; returns what was added and the songs that have no row.</summary>
    /// <remarks>
    /// One UPDATE per song, as the songs that have no row must be told apart. Where the provider batches (Npgsql),
    /// <see cref="BatchSize"/> of them go in one round trip, which is what a flush of many songs costs against a
    /// database over the network; SQLite runs in-process, where a prepared statement per song costs no trip at all.
    /// </remarks>
    private static async Task<(Dictionary<string, long> Deltas, List<string> WithoutRow)> UpdateSongsAsync(
        DbTransaction transaction, IReadOnlyList<KeyValuePair<string, long>> counts, CancellationToken cancellationToken)
    {
        var deltas = new Dictionary<string, long>(counts.Count, StringComparer.Ordinal);
        var withoutRow = new List<string>();
        void Tally(KeyValuePair<string, long> count, int rowsAffected)
        {
            if (rowsAffected > 0)
            {
                deltas.Add(count.Key, count.Value);
            }
            else
            {
                withoutRow.Add(count.Key);
            }
        }

        var connection = transaction.Connection!;
        if (connection.CanCreateBatch)
        {
            foreach (var chunk in counts.Chunk(BatchSize))
            {
                await using var batch = connection.CreateBatch();
                batch.Transaction = transaction;
                foreach (var count in chunk)
                {
                    var command = batch.CreateBatchCommand();
                    command.CommandText = UpdateSql;
                    command.Parameters.Add(Parameter(command.CreateParameter(), "@n", count.Value));
                    command.Parameters.Add(Parameter(command.CreateParameter(), "@id", count.Key));
                    batch.BatchCommands.Add(command);
                }
                await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < chunk.Length; i++)
                {
                    Tally(chunk[i], batch.BatchCommands[i].RecordsAffected);
                }
            }
            return (deltas, withoutRow);
        }

        await using var update = Command(transaction, UpdateSql);
        var n = Parameter(update, "@n", 0L);
        var id = Parameter(update, "@id", "");
        await update.PrepareAsync(cancellationToken).ConfigureAwait(false);
        foreach (var count in counts)
        {
            n.Value = count.Value;
            id.Value = count.Key;
            Tally(count, await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false));
        }
        return (deltas, withoutRow);
    }

    private static DbCommand Command(DbTransaction transaction, string sql)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static DbParameter Parameter(DbCommand command, string name, object value)
    {
        var parameter = Parameter(command.CreateParameter(), name, value);
        command.Parameters.Add(parameter);
        return parameter;
    }

    private static DbParameter Parameter(DbParameter parameter, string name, object value)
    {
        parameter.ParameterName = name;
        parameter.Value = value;
        return parameter;
    }

    private static Task InvokeAsync(Func<long, Task>? hook, long seq) => hook is null ? Task.CompletedTask : hook(seq);
}
