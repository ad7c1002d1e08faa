using System.Diagnostics;
using Mergepoints.Owin.Contract;
using Microsoft.Extensions.Logging;

namespace Mergepoints.Middleware.Logging;

/// <summary>One log line per request: method, full path, status, milliseconds, user, request id.</summary>
public static partial class RequestLogMiddleware
{
    /// <summary>The middleware, logging to category <c>Mergepoints.Requests</c>.</summary>
    public static MidFunc Create(ILoggerFactory loggerFactory)
    {
        var logger = loggerFactory.CreateLogger("Mergepoints.Requests");
        return next => async env =>
        {
            var started = Stopwatch.GetTimestamp();
            var owin = new OwinContext(env);
            var failed = false;
            try
            {
                await next(env);
            }
            catch
            {
                failed = true;
                throw;
            }
            finally
            {
                Log(logger, owin, failed, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        };
    }

    private static void Log(ILogger logger, OwinContext owin, bool failed, double milliseconds)
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }
        var query = owin.RequestQueryString is { Length: > 0 } q ? "?" + q : "";
        var user = owin.User.Identity is { IsAuthenticated: true, Name: { } name } ? name : "-";
        var requestId = owin.Environment.TryGetValue(OwinKeys.RequestId, out var id) ? id : "-";
        var path = Printable(owin.RequestPathBase + owin.RequestPath + query);
        LogRequest(logger, owin.RequestMethod, path, failed ? 500 : owin.ResponseStatusCode, milliseconds, user, requestId);
    }

    // A decoded %0A in a path must not start a forged log line.
    private static string Printable(string text) =>
        text.Any(char.IsControl) ? string.Concat(text.Select(c => char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString())) : text;

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} {Status} {Milliseconds:0.0} ms {User} {RequestId}")]
    private static partial void LogRequest(ILogger logger, string method, string path, int status, double milliseconds, string user, object requestId);
}
