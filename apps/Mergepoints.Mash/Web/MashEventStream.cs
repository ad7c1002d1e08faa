using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Mergepoints.Mash.Web;

/// <summary>
/// A mash's progress as server-sent events: <c>progress</c> each time the state changes (as the site's
/// <see cref="MashProgressFeed"/> reads it, every 300 ms), then <c>done</c> or <c>failed</c>, and a comment every
/// 15 s so that proxies keep a quiet stream open. It ends when the mash does, when the client goes, when the host
/// or the site stops, and after a few minutes in any case: a browser still watching reconnects by itself, and
/// nobody's forgotten tab keeps the feed reading forever. An unknown mash is a 404 rather than a stream: the first
/// reading decides, before anything is sent.
/// </summary>
internal sealed class MashEventStream(MashProgressFeed feed, string mashId) : IResult
{
    private static readonly TimeSpan HeartbeatEvery = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan MaxLife = TimeSpan.FromMinutes(5);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        var services = httpContext.RequestServices;
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(
            httpContext.RequestAborted,
            services.GetRequiredService<HostStopping>().Token,
            services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        ending.CancelAfter(MaxLife);
        var cancel = ending.Token;
        var page = PageRequest.From(httpContext);
        using var subscription = feed.Watch(mashId);
        try
        {
            var state = (await subscription.NextAsync(Timeout.InfiniteTimeSpan, cancel))!.StateFor(page);
            if (state is null)
            {
                await MashEndpoints.NoSuchMash(httpContext).ExecuteAsync(httpContext);
                return;
            }
            response.ContentType = "text/event-stream";
            // no-transform: a proxy that compresses or rewrites would hold the events back until it has enough of them.
            response.Headers.CacheControl = "no-store, no-transform";
            // nginx would otherwise gather the events into its buffer and send them late, all at once.
            response.Headers["X-Accel-Buffering"] = "no";
            // A reconnecting EventSource waits this long; the state is read afresh anyway.
            await WriteAsync(response, "retry: 2000\n\n", cancel);
            var lastSent = TimeProvider.System.GetTimestamp();
            string? lastProgress = null;
            while (true)
            {
                if (state is null)
                {
                    await SendAsync(response, "failed", new { error = "This mash has been deleted." }, cancel);
                    return;
                }
                var progress = JsonSerializer.Serialize(new { status = state.Status, stage = state.Stage, percent = state.Percent }, JsonSerializerOptions.Web);
                if (progress != lastProgress)
                {
                    await WriteAsync(response, $"event: progress\ndata: {progress}\n\n", cancel);
                    (lastProgress, lastSent) = (progress, TimeProvider.System.GetTimestamp());
                }
                if (state.Status == MashState.Done)
                {
                    await SendAsync(response, "done", new { songId = state.SongId, audioUrl = state.AudioUrl, downloadUrl = state.DownloadUrl }, cancel);
                    return;
                }
                if (state.Status == MashState.Failed)
                {
                    await SendAsync(response, "failed", new { error = state.Error }, cancel);
                    return;
                }
                MashProgressFeed.Reading? reading;
                while ((reading = await subscription.NextAsync(HeartbeatDue(lastSent), cancel)) is null)
                {
                    await WriteAsync(response, ": still working\n\n", cancel);
                    lastSent = TimeProvider.System.GetTimestamp();
                }
                state = reading.StateFor(page);
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // The page was closed, the host is stopping, or the stream has lived long enough: the answer ends
            // cleanly, and a browser still on the page comes back after the retry time.
        }
    }

    private static TimeSpan HeartbeatDue(long lastSent)
    {
        var due = HeartbeatEvery - TimeProvider.System.GetElapsedTime(lastSent);
        return due > TimeSpan.Zero ? due : TimeSpan.Zero;
    }

    private static Task SendAsync(HttpResponse response, string name, object data, CancellationToken cancellationToken) =>
        WriteAsync(response, $"event: {name}\ndata: {JsonSerializer.Serialize(data, JsonSerializerOptions.Web)}\n\n", cancellationToken);

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.WriteAsync(text, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
