using Mergepoints.Host.Logging;
using Mergepoints.Testing;
using Microsoft.Extensions.Logging;

namespace Mergepoints.Host.Tests.Logging;

public sealed class FileLoggerProviderTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public void Every_entry_logged_from_many_threads_is_one_line_in_the_file_once_the_provider_is_disposed()
    {
        var file = Path.Combine(_directory.Path, "logs", "5001.log");
        using (var provider = new FileLoggerProvider(file))
        {
            var logger = provider.CreateLogger("Test.Category");
            Parallel.For(0, 2000, i => Write(logger, LogLevel.Information, $"entry {i}"));
        }

        var lines = File.ReadAllLines(file);

        Assert.Equal(2000, lines.Length);
        Assert.All(lines, line => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info Test\.Category: entry \d+$", line));
        Assert.Equal(Enumerable.Range(0, 2000), lines.Select(line => int.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture)).Order());
    }

    [Fact]
    public void A_message_and_exception_over_several_lines_stay_one_line_and_a_restart_appends()
    {
        var file = Path.Combine(_directory.Path, "5001.log");
        using (var provider = new FileLoggerProvider(file))
        {
            Write(provider.CreateLogger("First"), LogLevel.Information, "before the restart");
        }
        using (var provider = new FileLoggerProvider(file))
        {
            Write(provider.CreateLogger("Second"), LogLevel.Error, "two\r\nlines", new InvalidOperationException("broken\nbadly"));
        }

        var lines = File.ReadAllLines(file);

        Assert.Equal(2, lines.Length);
        Assert.EndsWith(" info First: before the restart", lines[0], StringComparison.Ordinal);
        Assert.Contains(" fail Second: two\\nlines | System.InvalidOperationException: broken\\nbadly", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_writer_that_fails_with_any_exception_says_so_once_and_writes_again_once_the_disk_recovers()
    {
        var disk = new StandInDisk { Failure = new InvalidOperationException("the stream broke") };
        using var errors = new Stderr();
        var provider = new FileLoggerProvider(disk, errors);
        var logger = provider.CreateLogger("Test");

        Write(logger, LogLevel.Information, "lost 1");
        await Until(() => errors.Text.Length > 0);
        Write(logger, LogLevel.Information, "lost 2");
        await Until(() => disk.FailedWrites >= 2);
        disk.Failure = null;
        Write(logger, LogLevel.Information, "kept");
        provider.Dispose();

        Assert.Equal(["mergepoints: cannot write the log: InvalidOperationException: the stream broke"], Lines(errors.Text));
        Assert.Single(Lines(disk.Text), line => line.EndsWith(" info Test: kept", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Disposing_over_a_stalled_disk_returns_without_throwing_and_says_the_last_entries_were_lost()
    {
        using var disk = new StandInDisk { Stalled = true };
        using var errors = new Stderr();
        var provider = new FileLoggerProvider(disk, errors);
        Write(provider.CreateLogger("Test"), LogLevel.Information, "never written");
        await Until(() => disk.StalledWrites > 0);

        // Generous: disposing waits a few seconds, and this only tells "returns" from "hangs".
        await Task.Run(provider.Dispose, TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.Contains("did not reach the file", errors.Text, StringComparison.Ordinal);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static async Task Until(Func<bool> condition)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(20, deadline.Token);
        }
    }

    /// <summary>Stands in for stderr; the writer reports from its own thread while the test reads.</summary>
    private sealed class Stderr : TextWriter
    {
        private readonly System.Text.StringBuilder _text = new();

        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;
        public string Text { get { lock (_text) { return _text.ToString(); } } }

        public override void Write(char value)
        {
            lock (_text)
            {
                _text.Append(value);
            }
        }

        public override void WriteLine(string? value)
        {
            lock (_text)
            {
                _text.Append(value).Append('\n');
            }
        }
    }

    /// <summary>A disk that can be made to fail or to hang, as a real one does now and then.</summary>
    private sealed class StandInDisk : Stream
    {
        private readonly MemoryStream _written = new();
        private readonly ManualResetEventSlim _unstall = new();
        private int _failedWrites;
        private int _stalledWrites;

        public volatile Exception? Failure;
        public volatile bool Stalled;

        public int FailedWrites => Volatile.Read(ref _failedWrites);
        public int StalledWrites => Volatile.Read(ref _stalledWrites);
        public string Text { get { lock (_written) { return System.Text.Encoding.UTF8.GetString(_written.ToArray()); } } }

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (Stalled)
            {
                Interlocked.Increment(ref _stalledWrites);
                _unstall.Wait();
            }
            if (Failure is { } failure)
            {
                Interlocked.Increment(ref _failedWrites);
                throw failure;
            }
            lock (_written)
            {
                _written.Write(buffer, offset, count);
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.Run(() => Write(buffer, offset, count), cancellationToken);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            new(Task.Run(() => Write(buffer.ToArray(), 0, buffer.Length), cancellationToken));

        public override void Flush()
        {
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            _unstall.Set();
            base.Dispose(disposing);
        }
    }

    // ILogger.Log itself, as the framework's extensions and generated loggers call it.
    private static void Write(ILogger logger, LogLevel level, string message, Exception? exception = null) =>
        logger.Log(level, default, message, exception, (text, _) => text);

    public void Dispose() => _directory.Dispose();
}
