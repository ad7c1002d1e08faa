using System.Globalization;
using System.Text;

namespace Mergepoints.Host.Slots;

/// <summary>
/// An exclusive OS lock on a slot's <c>LOGS/PORT.lock</c>, held while the instance lives. The kernel drops it
/// when the process ends however it ends (kill -9 included), so a slot is never left taken by a dead instance
/// and nothing needs cleaning up. The file holds the owner's process id, for an operator asking who has it.
/// </summary>
/// <remarks>
/// The same idiom as the counter's <c>counter.lock</c> (CounterDirectory): a <see cref="FileStream"/> opened
/// with <see cref="FileShare.None"/>, which .NET takes as <c>flock(LOCK_EX | LOCK_NB)</c> on Unix. It is not
/// a shared type because the counter references nothing but the BCL, so the one line it takes lives in each.
/// </remarks>
internal sealed class SlotLock : IDisposable
{
    private readonly FileStream _file;

    private SlotLock(FileStream file) => _file = file;

    // What flock(LOCK_NB) fails with when another process holds the lock, which .NET keeps as the HResult.
    private static int LockConflict => OperatingSystem.IsLinux() ? 11 : 35;

    /// <summary>
    /// Takes the lock without waiting; null when another process holds it. Any other failure (a read-only disk, a
    /// symlink loop) is not "taken" but a reason the instance cannot start: an <see cref="IOException"/> naming the file.
    /// </summary>
    public static SlotLock? TryTake(string path)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e.HResult == LockConflict)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"the slot lock {path} cannot be opened: {e.Message}", e);
        }
        file.SetLength(0);
        file.Write(Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n"));
        file.Flush();
        return new SlotLock(file);
    }

    public void Dispose() => _file.Dispose();
}
