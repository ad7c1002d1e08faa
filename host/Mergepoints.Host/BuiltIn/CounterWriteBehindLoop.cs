using Mergepoints.Counter.WriteBehind;
using Microsoft.Extensions.Logging;

namespace Mergepoints.Host.BuiltIn;

/// <summary>
/// The counter's write-behind in the host: every N seconds for as long as the host serves and once more when it
/// stops, so that a graceful stop leaves every play in <c>songs.play_count</c>; and whenever an admin asks
/// (<c>POST /flush</c>), with or without the automatic ones. A failed flush is logged and tried again next time:
/// the flush protocol loses nothing when it fails. A failure, or songs without a row, that repeat flush after
/// flush are a warning the first time and Debug lines after, so the default minute does not flood the log.
/// </summary>
internal sealed partial class CounterWriteBehindLoop : IAsyncDisposable
{
    private static readonly TimeSpan LastFlushTimeout = TimeSpan.FromSeconds(10);
    private readonly SongsWriteBehind _writeBehind;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task? _loop;
    // What the last warnings were about: the same failure (a missing songs table) or the same songs without a row
    // every minute is one warning, then Debug lines until it changes. Exchanged, since an admin's flush and the
    // loop's may log at once.
    private string? _lastFailure;
    private string? _lastSongsWithoutRow;

    /// <param name="writeBehind">The flush; it runs one at a time, so an admin's waits for the loop's.</param>
    /// <param name="interval">How often to flush on its own; null for never (only when asked, and not at stop).</param>
    /// <param name="logger">Where each flush that moved something, and each failure, is logged.</param>
    public CounterWriteBehindLoop(SongsWriteBehind writeBehind, TimeSpan? interval, ILogger logger)
    {
        _writeBehind = writeBehind;
        _logger = logger;
        _loop = interval is { } period ? RunAsync(period, _stopping.Token) : null;
    }

    /// <summary>
    /// One flush now, for an admin: logged as the automatic ones are; a failure is logged too and then thrown, for
    /// the app to answer with.
    /// </summary>
    public async Task<WriteBehindResult> FlushNowAsync(CancellationToken cancellationToken)
    {
        WriteBehindResult result;
        try
        {
            result = await _writeBehind.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var level = FirstTimeOrDebug(ref _lastFailure, $"{e.GetType().FullName}: {e.Message}");
            LogFlushFailed(_logger, level, e);
            throw;
        }
        Volatile.Write(ref _lastFailure, null);
        if (result.Plays > 0 || result.Settled != PendingFlushOutcome.None)
        {
            LogFlushed(_logger, result.Plays, result.Songs, result.Seq, result.Settled);
        }
        if (result.SongsWithoutRow.Count > 0)
        {
            var level = FirstTimeOrDebug(ref _lastSongsWithoutRow, string.Join('\n', result.SongsWithoutRow));
            var first = string.Join(", ", result.SongsWithoutRow.Take(5));
            LogSongsWithoutRow(_logger, level, result.SongsWithoutRow.Count, first);
        }
        else
        {
            Volatile.Write(ref _lastSongsWithoutRow, null);
        }
        return result;
    }

    /// <summary>Warning when <paramref name="about"/> differs from what the last warning of its kind was about; Debug when it repeats it.</summary>
    private static LogLevel FirstTimeOrDebug(ref string? last, string about) =>
        Interlocked.Exchange(ref last, about) == about ? LogLevel.Debug : LogLevel.Warning;

    private async Task RunAsync(TimeSpan interval, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                await FlushAsync(stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await FlushNowAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Logged by FlushNowAsync; the loop goes on.
        }
    }

    /// <summary>Stops the loop, then, when it flushes on its own, flushes one last time (for at most 10 s).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
            using var timeout = new CancellationTokenSource(LastFlushTimeout);
            try
            {
                await FlushAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                // The plays stay in the counter's log; a batch left open is settled by the next start's first flush.
                LogLastFlushTimedOut(_logger, LastFlushTimeout.TotalSeconds);
            }
        }
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Counter write-behind: {Plays} plays of {Songs} songs added to songs.play_count (batch {Seq}; an earlier unsettled batch: {Settled})")]
    private static partial void LogFlushed(ILogger logger, long plays, int songs, long seq, PendingFlushOutcome settled);

    [LoggerMessage(Message = "Counter write-behind: {Count} songs have plays but no row in songs, so their plays stay in the counter (first: {Songs}); said once, then at Debug until it changes")]
    private static partial void LogSongsWithoutRow(ILogger logger, LogLevel level, int count, string songs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Counter write-behind: the last flush at stop took over {Seconds} s and was given up; the plays stay in the counter's log for the next start")]
    private static partial void LogLastFlushTimedOut(ILogger logger, double seconds);

    [LoggerMessage(Message = "Counter write-behind failed; nothing is lost: the plays stay in the counter for the next flush (the same failure again is logged at Debug)")]
    private static partial void LogFlushFailed(ILogger logger, LogLevel level, Exception exception);
}
