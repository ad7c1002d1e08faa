using System.Globalization;
using System.Runtime.InteropServices;

namespace Mergepoints.Counter.Storage;

/// <summary>
/// The counter's files: log segments <c>log-000001.bin</c>…, snapshots <c>snapshot-000007.bin</c> (the state
/// just before segment 7), <c>counter.id</c> (the counter's identity in the database ledger) and
/// <c>counter.lock</c>, held while a process has the directory open so two cannot append to one log.
/// </summary>
internal sealed class CounterDirectory : IDisposable
{
    private const string SegmentPrefix = "log-";
    private const string SnapshotPrefix = "snapshot-";
    private const string Extension = ".bin";

    private readonly FileStream _lock;

    private CounterDirectory(string path, FileStream lockFile)
    {
        Path = path;
        _lock = lockFile;
    }

    /// <summary>The directory's full path.</summary>
    public string Path { get; }

    /// <summary>Creates the directory if need be and takes its lock.</summary>
    public static CounterDirectory Open(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(full);
        try
        {
            // FileShare.None is an OS lock (flock on Unix): a second process gets an IOException at once.
            var lockFile = new FileStream(System.IO.Path.Combine(full, "counter.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return new CounterDirectory(full, lockFile);
        }
        catch (IOException e)
        {
            throw new IOException($"The counter directory {full} is in use by another process.", e);
        }
    }

    public string SegmentPath(long number) => System.IO.Path.Combine(Path, SegmentPrefix + number.ToString("D6", CultureInfo.InvariantCulture) + Extension);

    public string SnapshotPath(long number) => System.IO.Path.Combine(Path, SnapshotPrefix + number.ToString("D6", CultureInfo.InvariantCulture) + Extension);

    /// <summary>The numbers of the log segments present, ascending.</summary>
    public List<long> Segments() => Numbers(SegmentPrefix);

    /// <summary>The numbers of the snapshots present, ascending.</summary>
    public List<long> Snapshots() => Numbers(SnapshotPrefix);

    /// <summary>
    /// The counter's identity, made and made durable on first open, before any log file. Log files without it
    /// mean it was lost: a new id would settle an open flush batch against the ledger as never committed, and its
    /// plays would reach the database twice, so start-up stops instead.
    /// </summary>
    public Guid ReadOrCreateId()
    {
        var path = System.IO.Path.Combine(Path, "counter.id");
        // Left by a crash while the id was first written; nothing ever read it.
        File.Delete(path + ".tmp");
        if (File.Exists(path))
        {
            return Guid.TryParse(File.ReadAllText(path).Trim(), out var existing)
                ? existing
                : throw new InvalidDataException($"{path} does not hold a counter id; the ledger knows this counter by it, so restore it rather than remove it.");
        }
        if (Segments().Count > 0 || Snapshots().Count > 0)
        {
            throw new InvalidDataException($"{path} is missing beside the counter's log; the ledger knows this counter by it, so restore it (or remove the whole directory to start from zero).");
        }
        var id = Guid.NewGuid();
        WriteDurably(path, stream => stream.Write(System.Text.Encoding.ASCII.GetBytes(id.ToString("D") + "\n")));
        return id;
    }

    /// <summary>
    /// Writes a file so that after a crash it is either whole or absent: to a temp file, fsynced, renamed over
    /// the target, and the directory fsynced so the rename itself is on disk.
    /// </summary>
    public void WriteDurably(string path, Action<FileStream> write)
    {
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
        {
            write(stream);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        Sync();
    }

    /// <summary>
    /// fsyncs the directory, so files created, renamed or deleted in it stay so after a crash. .NET opens no
    /// handle on a directory, hence the libc calls; Windows needs none (NTFS journals its metadata).
    /// </summary>
    public void Sync()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var fd = Open(Path, 0);
        if (fd < 0)
        {
            throw new IOException($"Cannot open {Path} to fsync it (errno {Marshal.GetLastPInvokeError()}).");
        }
        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of {Path} failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    public void Dispose() => _lock.Dispose();

    private List<long> Numbers(string prefix)
    {
        var numbers = new List<long>();
        foreach (var file in Directory.EnumerateFiles(Path, prefix + "*" + Extension))
        {
            var name = System.IO.Path.GetFileName(file.AsSpan());
            var digits = name[prefix.Length..^Extension.Length];
            if (long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                numbers.Add(number);
            }
        }
        numbers.Sort();
        return numbers;
    }

    // DllImport rather than LibraryImport: the generated stubs need unsafe code, which this project does not allow.
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
