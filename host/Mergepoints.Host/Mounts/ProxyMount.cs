using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Mergepoints.Host.Configuration;
using Mergepoints.Owin.OwinToAspNetCore;
using Mergepoints.Middleware.Forwarding;
using Mergepoints.Middleware.Sessions;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Mergepoints.Host.Mounts;

/// <summary>
/// Mounts a remote HTTP service through YARP's forwarder: the prefix is stripped, X-Forwarded-For/Proto/Host/Prefix
/// are set (the prefix from the path base), bodies stream both ways, websockets and server-sent events pass,
/// and redirects and cookie paths the backend sets on its own root come back under the prefix.
/// </summary>
public static class ProxyMount
{
    /// <summary>Builds the forwarding app for one mount, with an HTTP client of its own.</summary>
    public static MountedApp Mount(ProxyMountConfig mount, IHttpForwarder forwarder, ITransformBuilder transforms)
    {
        var destination = mount.Destination.GetLeftPart(UriPartial.Path).TrimEnd('/');
        var transformer = transforms.Create(context =>
        {
            context.UseDefaultForwarders = false;
            context.AddXForwardedFor(action: ForwardedTransformActions.Append);
            context.AddXForwardedProto(action: ForwardedTransformActions.Set);
            context.AddXForwardedHost(action: ForwardedTransformActions.Set);
            context.AddXForwardedPrefix(action: ForwardedTransformActions.Set);
            context.AddRequestTransform(request => StripHostCookies(request));
            // nginx's offer to send files is the host's, and so is nginx's internal blob location: a backend
            // answering X-Accel-Redirect would have nginx send any song it names, and the other X-Accel-* headers
            // would let it set nginx's rate limit, buffering or caching for the host's own connection.
            context.AddRequestHeaderRemove(ForwardedHeadersMiddleware.SendfileTypeHeader);
            context.AddResponseTransform(DropAccelHeaders);
            context.AddResponseTransform(response => RewritePrefix(response, mount.Destination));
        });
        var client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = mount.Timeout,
            ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current),
        });
        var config = new ForwarderRequestConfig { ActivityTimeout = mount.Timeout };

        RequestDelegate forward = async context =>
        {
            var error = await forwarder.SendAsync(context, destination, client, config, transformer);
            if (error != ForwarderError.None && !context.Response.HasStarted && context.Response.StatusCode is 502 or 504)
            {
                await WriteErrorAsync(context, mount);
            }
        };
        var seconds = mount.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        return new MountedApp(forward.ToAppFunc(), $"proxy to {mount.Destination} (timeout {seconds} s)", () =>
        {
            client.Dispose();
            return ValueTask.CompletedTask;
        });
    }

    private static ValueTask DropAccelHeaders(ResponseTransformContext context)
    {
        var headers = context.HttpContext.Response.Headers;
        foreach (var name in headers.Keys.Where(name => name.StartsWith("X-Accel-", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            headers.Remove(name);
        }
        // The one thing a backend's X-Accel-Buffering was good for, said by the host itself: an event stream
        // passes nginx event by event, whatever its path.
        if (headers.ContentType.ToString().StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase))
        {
            headers["X-Accel-Buffering"] = "no";
        }
        return ValueTask.CompletedTask;
    }

    private static ValueTask RewritePrefix(ResponseTransformContext context, Uri destination)
    {
        var mountBase = context.HttpContext.Request.PathBase.Value ?? "";
        if (context.ProxyResponse is null || mountBase.Length == 0)
        {
            return ValueTask.CompletedTask;
        }
        var headers = context.HttpContext.Response.Headers;
        if (headers.Location.ToString() is { Length: > 0 } location
            && ProxyPrefixRewriter.RewriteLocation(location, destination, mountBase) is { } newLocation)
        {
            headers.Location = newLocation;
        }
        if (headers.SetCookie.Count > 0)
        {
            headers.SetCookie = headers.SetCookie
                .Select(cookie => ProxyPrefixRewriter.RewriteSetCookie(cookie ?? "", destination, mountBase))
                .OfType<string>()
                .ToArray();
        }
        return ValueTask.CompletedTask;
    }

    private static readonly HashSet<string> HostCookies = [SessionCookie.Name, "mergepoints_antiforgery"];

    private static ValueTask StripHostCookies(RequestTransformContext context)
    {
        var headers = context.ProxyRequest.Headers;
        if (headers.TryGetValues(HeaderNames.Cookie, out var cookies))
        {
            var kept = ProxyPrefixRewriter.WithoutHostCookies(cookies, HostCookies);
            headers.Remove(HeaderNames.Cookie);
            if (kept is not null)
            {
                headers.TryAddWithoutValidation(HeaderNames.Cookie, kept);
            }
        }
        return ValueTask.CompletedTask;
    }

    private static Task WriteErrorAsync(HttpContext context, ProxyMountConfig mount)
    {
        var message = context.Response.StatusCode == 504
            ? $"504 Gateway Timeout: the service mounted at {mount.Path} did not answer within {mount.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.\n"
            : $"502 Bad Gateway: the service mounted at {mount.Path} could not be reached.\n";
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message, Encoding.UTF8);
    }
}
