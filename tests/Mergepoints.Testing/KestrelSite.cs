using System.Net;
using Mergepoints.Owin.KestrelToOwin;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mergepoints.Testing;

/// <summary>
/// A WebApplication on real Kestrel at 127.0.0.1 on a free port: production settings, no console logging, no
/// config file watchers (every test starts apps of its own; a reloading config holds an inotify watch each).
/// </summary>
public sealed class KestrelSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KestrelSite(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
        Client = new HttpClient { BaseAddress = url };
    }

    public Uri Url { get; }

    /// <summary>A plain client for the site.</summary>
    public HttpClient Client { get; }

    public static async Task<KestrelSite> StartAsync(
        Action<IServiceCollection> services, Action<WebApplication> pipeline, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            EnvironmentName = Environments.Production,
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        services(builder.Services);
        var app = builder.Build();
        pipeline(app);
        await app.StartAsync(cancellationToken);
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>();
        return new KestrelSite(app, new Uri(addresses.Addresses.Single()));
    }

    public static Task<KestrelSite> StartAsync(Action<WebApplication> pipeline, CancellationToken cancellationToken) =>
        StartAsync(_ => { }, pipeline, cancellationToken);

    /// <summary>An OWIN app behind Kestrel, as the host serves one.</summary>
    public static Task<KestrelSite> StartAsync(Func<IDictionary<string, object>, Task> owinApp) =>
        StartAsync(app => app.RunOwin(owinApp), TestContext.Current.CancellationToken);

    /// <summary>A client that shows redirects instead of following them and keeps cookies as a browser would.</summary>
    public HttpClient CreateClient() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = Url };

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
