// Written here rather than taken from a package: the NuGet source this project builds from has none of the
// well-kept file providers (NReco.Logging.File and Karambolo.Extensions.Logging.File are absent, and
// Serilog.Extensions.Logging.File only as a 2.0.0-dev prerelease), and what a slot needs is small: append
// one line per entry to one file, off the request's path.
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Mergepoints.Host.Logging;

/// <summary>
/// Logs to one file, appended, one line per entry: <c>2025-01-31T12:00:00.123Z info Category: message | exception</c>
/// (UTC; line breaks inside an entry written as <c>\n</c>, so that a line is an entry and <c>grep</c> counts them).
/// Callers only format and enqueue; a single writer drains the queue and flushes whenever it runs dry, so a
/// request never waits on the disk or on a lock. A full queue (a disk that stalls) drops entries rather than
/// requests, and says how many in the file once it catches up. Disposing writes what is queued and closes the file.
/// Nothing here may stop the host: a writer that fails says so once on stderr and carries on (losing lines, not
/// requests), and disposing waits a few seconds at most, so a clean SIGTERM still exits 0 on a stalled disk.
/// </summary>
public sealed class FileLoggerProvider : ILoggerProvider
{
    private const int Capacity = 100_000;

    /// <summary>How long disposing waits for the queue to reach the file; past it, what is queued is lost.</summary>
    private static readonly TimeSpan DisposeWait = TimeSpan.FromSeconds(5);

    private readonly Channel<string> _lines = Channel.CreateBounded<string>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropWrite,
    });

    private readonly StreamWriter _writer;
    private readonly TextWriter _errors;
    private readonly Task _writing;
    private long _dropped;
    private bool _failing;

    /// <summary>Opens (or creates) <paramref name="path"/> for appending; other processes may read it meanwhile.</summary>
    public FileLoggerProvider(string path)
        : this(Open(path), Console.Error)
    {
    }

    /// <summary>Over any stream, reporting its failures to <paramref name="errors"/>: how tests stand in a failing disk.</summary>
    internal FileLoggerProvider(Stream stream, TextWriter errors)
    {
        _writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        _errors = errors;
        _writing = Task.Run(WriteAsync);
    }

    private static FileStream Open(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        return new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1 << 16);
    }

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new FileLogger(categoryName, this);

    /// <summary>Queues one entry; never blocks and never throws.</summary>
    internal void Enqueue(DateTimeOffset time, LogLevel level, string category, string message, Exception? exception)
    {
        var line = new StringBuilder(64 + category.Length + message.Length)
            .Append(time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))
            .Append(' ').Append(LevelName(level))
            .Append(' ').Append(category).Append(": ")
            .Append(OneLine(message));
        if (exception is not null)
        {
            line.Append(" | ").Append(OneLine(exception.ToString()));
        }
        if (!_lines.Writer.TryWrite(line.ToString()))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    private async Task WriteAsync()
    {
        var reader = _lines.Reader;
        while (await reader.WaitToReadAsync())
        {
            try
            {
                while (reader.TryRead(out var line))
                {
                    await _writer.WriteLineAsync(line);
                }
                if (Interlocked.Exchange(ref _dropped, 0) is > 0 and var dropped)
                {
                    await _writer.WriteLineAsync($"{DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)} warn {typeof(FileLoggerProvider).FullName}: {dropped} entries dropped while the log could not keep up");
                }
                await _writer.FlushAsync();
                _failing = false;
            }
            catch (Exception e)
            {
                // Any failure (a full or vanished disk, a closed stream, a bug) costs the log its lines, never the
                // site its requests or its exit code; the console still has them. Said once per spell of
                // failures, not once per line, and the loop goes on so the log resumes when the disk does.
                if (!_failing)
                {
                    _failing = true;
                    Report(e);
                }
            }
        }
    }

    private void Report(Exception e)
    {
        try
        {
            _errors.WriteLine($"mergepoints: cannot write the log: {e.GetType().Name}: {e.Message}");
        }
        catch (Exception)
        {
            // stderr itself is gone: there is nowhere left to say it.
        }
    }

    /// <summary>
    /// Writes every queued entry, then closes the file; never throws. If the writer has not caught up within a few
    /// seconds (a stalled disk) the file is left open rather than closed, since closing would flush and stall too:
    /// the process is ending, and the OS closes it.
    /// </summary>
    public void Dispose()
    {
        _lines.Writer.TryComplete();
        if (!_writing.Wait(DisposeWait))
        {
            Report(new TimeoutException($"the last entries did not reach the file within {DisposeWait.TotalSeconds:0} s"));
            return;
        }
        try
        {
            _writer.Dispose();
        }
        catch (Exception e)
        {
            Report(e);
        }
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };

    private static string OneLine(string text) =>
        text.Contains('\n', StringComparison.Ordinal) || text.Contains('\r', StringComparison.Ordinal)
            ? text.Replace("\r\n", "\\n", StringComparison.Ordinal).Replace('\r', '\n').Replace("\n", "\\n", StringComparison.Ordinal)
            : text;
}
