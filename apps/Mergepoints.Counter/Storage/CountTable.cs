using System.Collections.Concurrent;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Mergepoints.Counter.Storage;

/// <summary>
/// The counts in memory and the write-behind bookkeeping, changed only by one caller at a time (under
/// <see cref="PlayCounts"/>'s lock, or by recovery alone) and read by anyone without a lock. Live changes and log
/// replay go through the same methods, so replaying the log rebuilds exactly what the live table held.
/// </summary>
/// <remarks>
/// While recovering, the counts live in a plain dictionary: it finds a song by the span of its UTF-8-decoded id
/// three times faster than the concurrent one and nobody reads the table yet. <see cref="EndRecovery"/> moves
/// them, presized, into the concurrent dictionary that serves lock-free reads from then on. Counts are plain
/// longs: the concurrent dictionary updates a long in place, so a play allocates nothing.
/// </remarks>
internal sealed class CountTable
{
    private ConcurrentDictionary<string, long> _songs = new(StringComparer.Ordinal);
    private Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>>? _recovering =
        new Dictionary<string, long>(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly IReadOnlyDictionary<string, long> NoDeltas = ReadOnlyDictionary<string, long>.Empty;

    /// <summary>The seq of the newest flush batch ever begun; seqs are never reused, even after a reset.</summary>
    public long LastFlushSeq { get; private set; }

    /// <summary>
    /// How many resets of every count the table has seen. Write-behind reads the counts without the lock and logs
    /// its batch later: a batch read before a reset carries cleared plays, and committing it would take them off
    /// the plays made after the reset. The batch notes this number and is refused when it has changed meanwhile.
    /// </summary>
    public long Resets { get; private set; }

    /// <summary>
    /// The songs reset one by one while write-behind reads the counts for a batch (from <see cref="MarkFlushRead"/>
    /// to <see cref="TryBeginFlush"/> or <see cref="EndFlushRead"/>): the same danger as a reset of every count, for
    /// one song, so a batch holding one of them is refused too. Null while no flush reads, so a reset then is not
    /// remembered (none is, with no datastore, with the automatic flushes off, or while the log is replayed); the
    /// set holds no more than the songs reset during one read.
    /// </summary>
    private HashSet<string>? _songsResetDuringFlushRead;

    /// <summary>The flush batch begun and not yet committed or aborted, if any.</summary>
    public PendingFlush? PendingFlush { get; private set; }

    /// <summary>Lock-free.</summary>
    public long Get(string songId) => _songs.TryGetValue(songId, out var count) ? count : 0;

    /// <summary>Adds <paramref name="amount"/> to the song's count and returns the new count.</summary>
    /// <exception cref="ArgumentException">A new song's id cannot be logged.</exception>
    public long Add(string songId, long amount)
    {
        if (!_songs.TryGetValue(songId, out var count))
        {
            SongId.Validate(songId);
        }
        count += amount;
        _songs[songId] = count;
        return count;
    }

    /// <summary>
    /// Recovery only: adds to a song named by its UTF-8 bytes, as the log stores it. No string is made when the
    /// song is already known, which is what makes replaying tens of millions of records fast.
    /// </summary>
    public void Add(ReadOnlySpan<byte> songUtf8, long amount)
    {
        Span<char> chars = stackalloc char[SongId.MaxBytes];
        var songId = chars[..Encoding.UTF8.GetChars(songUtf8, chars)];
        CollectionsMarshal.GetValueRefOrAddDefault(Recovering, songId, out _) += amount;
    }

    /// <summary>Recovery only: room for <paramref name="songs"/> songs at once, as a snapshot announces them.</summary>
    public void Reserve(int songs) => Recovering.Dictionary.EnsureCapacity(songs);

    /// <summary>Recovery is over: the counts move to the concurrent dictionary, sized once.</summary>
    public void EndRecovery()
    {
        _songs = new ConcurrentDictionary<string, long>(Recovering.Dictionary, StringComparer.Ordinal);
        _recovering = null;
    }

    /// <summary>
    /// Every count to zero: the songs go, so a reset also frees their memory. A pending flush's deltas are no
    /// longer in the counts, so its commit must take nothing off: otherwise it would eat plays made after the reset.
    /// </summary>
    public void Clear()
    {
        if (_recovering is { } recovering)
        {
            recovering.Dictionary.Clear();
        }
        else
        {
            _songs.Clear();
        }
        if (PendingFlush is { } pending)
        {
            PendingFlush = pending with { Deltas = NoDeltas, ResetSince = [] };
        }
        Resets++;
    }

    /// <summary>
    /// One song's count to zero; the song goes, as in <see cref="Clear"/>. A pending flush notes the song (see
    /// <see cref="PendingFlush.ResetSince"/>), so its commit takes nothing off the plays made after this reset;
    /// the batch's plays of the song still reach the database, since it is on its way. A batch being prepared that
    /// holds the song is refused (see <see cref="TryBeginFlush"/>): its plays of the song are cleared ones and must
    /// not reach the database.
    /// </summary>
    public void ResetSong(string songId)
    {
        if (_recovering is { } recovering)
        {
            recovering.Dictionary.Remove(songId);
        }
        else
        {
            _songs.TryRemove(songId, out _);
        }
        if (PendingFlush is { } pending && pending.Deltas.ContainsKey(songId))
        {
            PendingFlush = pending with { ResetSince = pending.ResetSince.Add(songId) };
        }
        _songsResetDuringFlushRead?.Add(songId);
    }

    /// <summary>
    /// Write-behind is about to read the counts for a batch: returns <see cref="Resets"/> for
    /// <see cref="TryBeginFlush"/>, and from here on remembers the songs reset one by one. One read at a time:
    /// a second one would forget the songs reset during the first.
    /// </summary>
    public long MarkFlushRead()
    {
        if (_songsResetDuringFlushRead is not null)
        {
            throw new InvalidOperationException("A write-behind flush is already reading the counts; flushes of one counter take turns.");
        }
        _songsResetDuringFlushRead = new HashSet<string>(StringComparer.Ordinal);
        return Resets;
    }

    /// <summary>The read is over without a batch begun (nothing to flush, or it failed): forget its resets.</summary>
    public void EndFlushRead() => _songsResetDuringFlushRead = null;

    /// <summary>How many songs the open read remembers as reset during it; 0 when no flush reads.</summary>
    public int SongsResetDuringFlushRead => _songsResetDuringFlushRead?.Count ?? 0;

    /// <summary>
    /// Ends the read and begins batch <paramref name="flush"/>, unless a reset of every count came after its
    /// counts were read (when <see cref="Resets"/> stood at <paramref name="resets"/>), or a reset of one of its
    /// songs did; false then, and nothing changes.
    /// </summary>
    public bool TryBeginFlush(PendingFlush flush, long resets)
    {
        var resetDuringRead = _songsResetDuringFlushRead
            ?? throw new InvalidOperationException("A batch can only begin after its counts were read (MarkFlushRead).");
        EndFlushRead();
        // The set is empty unless an admin reset a song while the counts were read: ask it, not every song of the batch.
        if (resets != Resets || (resetDuringRead.Count > 0 && resetDuringRead.Any(flush.Deltas.ContainsKey)))
        {
            return false;
        }
        BeginFlush(flush);
        return true;
    }

    /// <summary>Records that batch <paramref name="flush"/> is about to be sent to the database.</summary>
    public void BeginFlush(PendingFlush flush)
    {
        if (PendingFlush is not null)
        {
            throw new InvalidOperationException($"Flush {PendingFlush.Seq} is still pending; settle it before beginning another.");
        }
        if (flush.Seq <= LastFlushSeq)
        {
            throw new InvalidOperationException($"Flush seq {flush.Seq} is not after {LastFlushSeq}.");
        }
        PendingFlush = flush;
        LastFlushSeq = flush.Seq;
    }

    /// <summary>The database holds the batch: its deltas come off the counts (never below zero, though after <see cref="Clear"/> there are none).</summary>
    public void CommitFlush(long seq)
    {
        var flush = TakePending(seq);
        foreach (var (songId, delta) in flush.ToTakeOff)
        {
            if (_recovering is { Dictionary: var recovering })
            {
                if (recovering.TryGetValue(songId, out var count))
                {
                    recovering[songId] = Math.Max(0, count - delta);
                }
            }
            else if (_songs.TryGetValue(songId, out var count))
            {
                _songs[songId] = Math.Max(0, count - delta);
            }
        }
    }

    /// <summary>The database never got the batch: the counts stay as they are.</summary>
    public void AbortFlush(long seq) => TakePending(seq);

    /// <summary>Puts back the flush bookkeeping a snapshot carried.</summary>
    public void RestoreFlushState(long lastFlushSeq, PendingFlush? pending)
    {
        LastFlushSeq = lastFlushSeq;
        PendingFlush = pending;
    }

    /// <summary>Every song above zero, ordered by id (ordinal), read without a lock.</summary>
    public KeyValuePair<string, long>[] Positive()
    {
        var positive = Copy();
        Array.Sort(positive, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return positive;
    }

    /// <summary>Every song above zero, unordered: what a snapshot writes (from a table rebuilt for it, still recovering).</summary>
    public KeyValuePair<string, long>[] Copy()
    {
        IReadOnlyCollection<KeyValuePair<string, long>> songs = _recovering is { } recovering ? recovering.Dictionary : _songs;
        var copy = new List<KeyValuePair<string, long>>(songs.Count);
        foreach (var song in songs)
        {
            if (song.Value > 0)
            {
                copy.Add(song);
            }
        }
        return [.. copy];
    }

    private Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> Recovering =>
        _recovering ?? throw new InvalidOperationException("The counter has finished recovering.");

    private PendingFlush TakePending(long seq)
    {
        if (PendingFlush is not { } flush || flush.Seq != seq)
        {
            throw new InvalidOperationException($"Flush {seq} is not the pending flush ({PendingFlush?.Seq.ToString(CultureInfo.InvariantCulture) ?? "none"}).");
        }
        PendingFlush = null;
        return flush;
    }
}
