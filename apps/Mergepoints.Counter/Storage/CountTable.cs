using System.Collections.Concurrent;
using System.Text;

namespace Mergepoints.Counter.Storage;

/// <summary>
/// The counts in memory and the write-behind bookkeeping, changed only by one caller at a time (under
/// <see cref="PlayCounts"/>'s lock, or by recovery alone) and read by anyone without a lock. Live changes and log
/// replay go through the same methods, so replaying the log rebuilds exactly what the live table held.
/// </summary>
internal sealed class CountTable
{
    private readonly ConcurrentDictionary<string, SongCount> _songs;
    private readonly ConcurrentDictionary<string, SongCount>.AlternateLookup<ReadOnlySpan<char>> _songsBySpan;

    public CountTable()
    {
        _songs = new ConcurrentDictionary<string, SongCount>(StringComparer.Ordinal);
        _songsBySpan = _songs.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The seq of the newest flush batch ever begun; seqs are never reused, even after a reset.</summary>
    public long LastFlushSeq { get; private set; }

    /// <summary>The flush batch begun and not yet committed or aborted, if any.</summary>
    public PendingFlush? PendingFlush { get; private set; }

    /// <summary>How many songs the table holds (some may be at zero).</summary>
    public int Count => _songs.Count;

    /// <summary>Lock-free: a dictionary read and a volatile read of the count.</summary>
    public long Get(string songId) => _songs.TryGetValue(songId, out var count) ? Volatile.Read(ref count.Value) : 0;

    /// <summary>Adds <paramref name="amount"/> to the song's count and returns the new count.</summary>
    public long Add(string songId, long amount)
    {
        if (!_songs.TryGetValue(songId, out var count))
        {
            SongId.Validate(songId);
            count = _songs.GetOrAdd(songId, static _ => new SongCount());
        }
        var value = count.Value + amount;
        Volatile.Write(ref count.Value, value);
        return value;
    }

    /// <summary>
    /// Adds to a song named by its UTF-8 bytes, as the log stores it: no string is made when the song is
    /// already in the table, which is what makes replaying millions of records fast.
    /// </summary>
    public void Add(ReadOnlySpan<byte> songUtf8, long amount)
    {
        Span<char> chars = stackalloc char[SongId.MaxBytes];
        var songId = chars[..Encoding.UTF8.GetChars(songUtf8, chars)];
        if (!_songsBySpan.TryGetValue(songId, out var count))
        {
            count = new SongCount();
            _songsBySpan.TryAdd(songId, count);
        }
        count.Value += amount;
    }

    /// <summary>
    /// Every count to zero: the songs go, so a reset also frees their memory. A pending flush's deltas are no
    /// longer in the counts, so its commit must take nothing off: otherwise it would eat plays made after the reset.
    /// </summary>
    public void Clear()
    {
        _songs.Clear();
        if (PendingFlush is { } pending)
        {
            PendingFlush = pending with { Deltas = [] };
        }
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
        foreach (var (songId, delta) in flush.Deltas)
        {
            if (_songs.TryGetValue(songId, out var count))
            {
                Volatile.Write(ref count.Value, Math.Max(0, count.Value - delta));
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

    /// <summary>Every song above zero, unordered: what a snapshot writes.</summary>
    public KeyValuePair<string, long>[] Copy()
    {
        var copy = new List<KeyValuePair<string, long>>(_songs.Count);
        foreach (var (songId, count) in _songs)
        {
            var value = Volatile.Read(ref count.Value);
            if (value > 0)
            {
                copy.Add(new(songId, value));
            }
        }
        return [.. copy];
    }

    private PendingFlush TakePending(long seq)
    {
        if (PendingFlush is not { } flush || flush.Seq != seq)
        {
            throw new InvalidOperationException($"Flush {seq} is not the pending flush ({PendingFlush?.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}).");
        }
        PendingFlush = null;
        return flush;
    }

    /// <summary>A song's count, boxed so that a play changes it in place without touching the dictionary.</summary>
    private sealed class SongCount
    {
        public long Value;
    }
}
