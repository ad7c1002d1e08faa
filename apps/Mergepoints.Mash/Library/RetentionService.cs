using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mergepoints.Mash.Library;

/// <summary>
/// Runs the <see cref="Retention"/> when the process starts and every hour after, in <c>serve</c> and in each
/// <c>worker</c>; a failed run (the database away) is logged and the next hour tries again.
/// </summary>
public sealed partial class RetentionService(MashLibrary library, ILoggerFactory loggerFactory) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    private readonly ILogger _logger = loggerFactory.CreateLogger("Mergepoints.Mash.Retention");

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retention = new Retention(library, _logger);
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await retention.RunAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(_logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention: the run failed; the next one is in an hour")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
