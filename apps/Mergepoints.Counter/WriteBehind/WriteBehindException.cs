namespace Mergepoints.Counter.WriteBehind;

/// <summary>
/// A flush that stopped for a reason of the counter's own rather than the database's (two counters share one
/// <c>counter.id</c>; resets kept landing while it read): nothing was lost, the plays stay in the counter, and the
/// message says why in one line. Its own type so that a caller can answer it as "try again later" without doing
/// the same to the counter's internal checks, which are bugs.
/// </summary>
public sealed class WriteBehindException : Exception
{
    internal WriteBehindException(string message)
        : base(message)
    {
    }
}
