namespace Mergepoints.Mash.Jobs;

/// <summary>
/// Wakes this process's idle workers when this process enqueues, so an in-process job starts at once instead of
/// at the next poll; workers elsewhere still find it by polling.
/// </summary>
internal sealed class EnqueueSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Wakes everyone waiting now.</summary>
    public void Set() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Returns after the next <see cref="Set"/> or <paramref name="timeout"/>, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await Volatile.Read(ref _next).Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
    }
}
