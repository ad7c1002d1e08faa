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
/// </summary>
public sealed class FileLoggerProvider : ILoggerProvider
{
    private const int Capacity = 100_000;

    private readonly Channel<string> _lines = Channel.CreateBounded<string>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropWrite,
    });

    private readonly StreamWriter _writer;
    private readonly Task _writing;
    private long _dropped;
    private bool _failing;

    /// <summary>Opens (or creates) <paramref name="path"/> for appending; other processes may read it meanwhile.</summary>
    public FileLoggerProvider(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1 << 16);
        _writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        _writing = Task.Run(WriteAsync);
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
            catch (IOException e) when (!_failing)
            {
                // A full or vanished disk costs the log its lines, never the site its requests; the console still
                // has them. Said once per spell of failures, not once per line.
                _failing = true;
                await Console.Error.WriteLineAsync($"mergepoints: cannot write the log: {e.Message}");
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Writes every queued entry, then closes the file.</summary>
    public void Dispose()
    {
        _lines.Writer.TryComplete();
        _writing.GetAwaiter().GetResult();
        _writer.Dispose();
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
