using System.Net.WebSockets;
using System.Text;
using Mergepoints.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Mergepoints.Host.Tests.Infrastructure;

/// <summary>
/// A remote service for proxy mounts, on its own Kestrel socket: it knows nothing of the prefix it is mounted
/// under, which is the point — it redirects to /login and sets cookies on Path=/ like any app on its own root.
/// </summary>
public sealed class Backend : IAsyncDisposable
{
    private readonly KestrelSite _site;

    private Backend(KestrelSite site) => _site = site;

    public Uri Url => _site.Url;

    /// <summary>The headers nginx obeys from whoever answers it, which /accel sends.</summary>
    public static IReadOnlyList<string> AccelHeaders { get; } =
        ["X-Accel-Redirect", "X-Accel-Limit-Rate", "X-Accel-Buffering", "X-Accel-Expires", "X-Accel-Charset"];

    /// <summary>Completes when /wait has received a request (and before it answers).</summary>
    public TaskCompletionSource WaitReceived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<Backend> StartAsync()
    {
        Backend? backend = null;
        var site = await KestrelSite.StartAsync(
            services => services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = null),
            app => Map(app, () => backend!),
            TestContext.Current.CancellationToken);
        backend = new Backend(site);
        return backend;
    }

    private static void Map(WebApplication app, Func<Backend> backend)
    {
        app.UseWebSockets();
        app.MapGet("/echo/{**rest}", (HttpRequest request) =>
            $"path={request.Path}{request.QueryString} for={request.Headers["X-Forwarded-For"]} proto={request.Headers["X-Forwarded-Proto"]} host={request.Headers["X-Forwarded-Host"]} prefix={request.Headers["X-Forwarded-Prefix"]}");
        app.MapGet("/accel", (HttpResponse response) =>
        {
            foreach (var name in AccelHeaders)
            {
                response.Headers[name] = name == "X-Accel-Redirect" ? "/_mergepoints/blobs/ab/cd/x" : "0";
            }
            response.Headers["X-Kept"] = "yes";
            return "steering nginx";
        });
        app.MapGet("/cookies", (HttpRequest request) => $"cookie={request.Headers.Cookie}");
        app.MapGet("/redirect", () => Results.Redirect("/login?next=%2F"));
        app.MapGet("/absolute-redirect", (HttpRequest request) => Results.Redirect($"http://{request.Host}/login"));
        app.MapGet("/elsewhere", () => Results.Redirect("https://example.org/x"));
        app.MapGet("/cookie", (HttpResponse response) =>
        {
            response.Cookies.Append("sid", "1", new CookieOptions { Path = "/", HttpOnly = true });
            response.Cookies.Append("pref", "x", new CookieOptions { Path = "/settings" });
            return "cookies set";
        });
        app.MapGet("/slow", async (CancellationToken cancel) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), cancel);
            return "too late";
        });
        app.MapGet("/wait", async () =>
        {
            backend().WaitReceived.TrySetResult();
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            return "finished after the wait";
        });
        app.MapGet("/stream", (HttpResponse response, CancellationToken cancel) => WriteFiveAsync(response, "text/plain", i => $"chunk {i}\n", cancel));
        app.MapGet("/events", (HttpResponse response, CancellationToken cancel) => WriteFiveAsync(response, "text/event-stream", i => $"data: {i}\n\n", cancel));
        app.MapPost("/sink", async (HttpRequest request, CancellationToken cancel) =>
        {
            var buffer = new byte[81920];
            long total = 0;
            int read;
            while ((read = await request.Body.ReadAsync(buffer, cancel)) > 0)
            {
                total += read;
            }
            return total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
        app.Map("/ws", async (HttpContext context) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = 400;
                return;
            }
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[4096];
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                    return;
                }
                var echo = Encoding.UTF8.GetBytes("echo: " + Encoding.UTF8.GetString(buffer, 0, received.Count));
                await socket.SendAsync(echo, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            }
        });
    }

    public ValueTask DisposeAsync() => _site.DisposeAsync();

    private static async Task WriteFiveAsync(HttpResponse response, string contentType, Func<int, string> piece, CancellationToken cancel)
    {
        response.ContentType = contentType;
        for (var i = 0; i < 5; i++)
        {
            await response.WriteAsync(piece(i), cancel);
            await response.Body.FlushAsync(cancel);
            if (i < 4)
            {
                await Task.Delay(200, cancel);
            }
        }
    }
}
