// Written by hand rather than taking Microsoft.Extensions.Diagnostics.Testing's FakeLogger: one test needs the
// levels of a few lines, which is this much code, and a new package in Directory.Packages.props for it would
// touch the file every helper edits at once.
using Microsoft.Extensions.Logging;

namespace Mergepoints.Host.Tests.Counter;

/// <summary>A logger that keeps the level and text of every line, for tests of what a component logs.</summary>
internal sealed class RecordingLogger : ILogger
{
    private readonly List<(LogLevel Level, string Message)> _lines = [];

    /// <summary>Every line so far, oldest first.</summary>
    public IReadOnlyList<(LogLevel Level, string Message)> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_lines)
        {
            _lines.Add((logLevel, formatter(state, exception)));
        }
    }
}
