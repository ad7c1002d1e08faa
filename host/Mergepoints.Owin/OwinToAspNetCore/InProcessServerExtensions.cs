using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Mergepoints.Owin.OwinToAspNetCore;

/// <summary>Entry points for mounting a whole ASP.NET Core app: swap its server, then take its <c>AppFunc</c>.</summary>
public static class InProcessServerExtensions
{
    /// <summary>
    /// Replaces the app's server (Kestrel by default) with an <see cref="InProcessServer"/>, so the app opens no
    /// socket and serves only what the host hands it. Its <c>IHttpContextAccessor</c> is one of its own, so that
    /// it and the host each read their own request, and it leaves SIGTERM to the host, which stops it after draining.
    /// </summary>
    public static IWebHostBuilder UseInProcessServer(this IWebHostBuilder builder) =>
        builder.ConfigureServices(services => services
            .AddSingleton<IServer, InProcessServer>()
            .AddSingleton<IHttpContextAccessor, MountedHttpContextAccessor>()
            .AddSingleton<IHostLifetime, HostDrivenLifetime>());

    /// <summary>The started app as an OWIN app, ready to mount.</summary>
    public static Func<IDictionary<string, object>, Task> AsAppFunc(this IHost host) =>
        host.Services.GetRequiredService<IServer>() is InProcessServer server
            ? server.App
            : throw new InvalidOperationException("This app has its own server: call UseInProcessServer on its builder before Build.");
}
