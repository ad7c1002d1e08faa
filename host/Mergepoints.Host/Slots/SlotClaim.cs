using Mergepoints.Host.Configuration;

namespace Mergepoints.Host.Slots;

/// <summary>The slot this process took: where it listens, where it logs, and the lock that keeps it its own.</summary>
internal sealed class SlotClaim(ListenSlot slot, int number, int count, string logFile, SlotLock slotLock) : IDisposable
{
    public ListenSlot Slot => slot;

    /// <summary>This slot's log, <c>LOGS/PORT.log</c>.</summary>
    public string LogFile => logFile;

    /// <summary>For the start-up summary: <c>slot 2 of 3, log logs/5002.log</c> (relative when under the current directory).</summary>
    public string Describe()
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, logFile);
        return $"slot {number} of {count}, log {(relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? logFile : relative)}";
    }

    /// <summary>Gives the slot back; only at the very end, when nothing listens on it any more.</summary>
    public void Dispose() => slotLock.Dispose();
}
