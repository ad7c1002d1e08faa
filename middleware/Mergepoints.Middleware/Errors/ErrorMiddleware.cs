using System.Net;
using Mergepoints.Owin.Contract;
using Microsoft.Extensions.Logging;

namespace Mergepoints.Middleware.Errors;

/// <summary>
/// Turns an exception an app lets escape into a 500 page: in Development the exception itself, otherwise a
/// plain page with the request id that the log line carries too, so an operator can find it and a visitor
/// sees no stack trace. A client that went away is not an error.
/// </summary>
public static partial class ErrorMiddleware
{
    /// <summary>The middleware; <paramref name="showDetails"/> is true in Development only.</summary>
    public static MidFunc Create(ILoggerFactory loggerFactory, bool showDetails)
    {
        var logger = loggerFactory.CreateLogger("Mergepoints.Errors");
        return next => async env =>
        {
            try
            {
                await next(env);
            }
            catch (OperationCanceledException) when (new OwinContext(env).CallCancelled.IsCancellationRequested)
            {
                // The client went away; nobody is left to answer.
            }
            catch (Microsoft.AspNetCore.Http.BadHttpRequestException bad) when (!HasStarted(env))
            {
                // The client's fault (a body over the limit, a malformed request): its status, not a 500.
                await new OwinContext(env).RespondTextAsync(bad.StatusCode, $"{bad.Message}\n");
            }
            catch (Exception exception)
            {
                var owin = new OwinContext(env);
                var requestId = env.TryGetValue(OwinKeys.RequestId, out var id) ? id as string ?? "-" : "-";
                LogFailure(logger, exception, owin.RequestMethod, owin.RequestPathBase + owin.RequestPath, requestId);
                if (HasStarted(env))
                {
                    throw;
                }
                owin.ResponseHeaders.Clear();
                owin.ResponseHeaders["Content-Type"] = ["text/html; charset=utf-8"];
                owin.ResponseStatusCode = 500;
                var details = showDetails ? $"<pre>{WebUtility.HtmlEncode(exception.ToString())}</pre>" : "";
                await owin.ResponseBody.WriteAsync(System.Text.Encoding.UTF8.GetBytes($"""
                    <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Something went wrong</title></head>
                    <body style="font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem">
                    <h1>Something went wrong</h1><p>The page failed. If you report it, quote request id <code>{WebUtility.HtmlEncode(requestId)}</code>.</p>{details}
                    </body></html>
                    """), CancellationToken.None);
            }
        };
    }

    // Over Kestrel the response feature knows; a plain environment has no way to tell, so assume it has not.
    private static bool HasStarted(IDictionary<string, object> env) =>
        env.TryGetValue(OwinKeys.HttpContext, out var context) && context is Microsoft.AspNetCore.Http.HttpContext http && http.Response.HasStarted;

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed (request id {RequestId})")]
    private static partial void LogFailure(ILogger logger, Exception exception, string method, string path, string requestId);
}
