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

    // ILogger.Log itself, as the framework's extensions and generated loggers call it.
    private static void Write(ILogger logger, LogLevel level, string message, Exception? exception = null) =>
        logger.Log(level, default, message, exception, (text, _) => text);

    public void Dispose() => _directory.Dispose();
}
