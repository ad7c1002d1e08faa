using Microsoft.Extensions.Logging;

namespace Mergepoints.Host.Logging;

/// <summary>One category's logger over a <see cref="FileLoggerProvider"/>; levels are filtered by the logging configuration before it is called.</summary>
internal sealed class FileLogger(string category, FileLoggerProvider provider) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }
        string message;
        try
        {
            message = formatter(state, exception);
        }
#pragma warning disable CA1031 // A message that cannot be formatted must not fail the request that logged it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            message = $"(the message could not be formatted: {e.GetType().Name})";
        }
        provider.Enqueue(DateTimeOffset.UtcNow, logLevel, category, message, exception);
    }
}
