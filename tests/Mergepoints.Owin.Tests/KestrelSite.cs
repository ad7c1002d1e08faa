using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Mergepoints.Owin.Tests;

/// <summary>A WebApplication on real Kestrel at 127.0.0.1 on a free port, with a client that talks to it.</summary>
internal sealed class KestrelSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KestrelSite(WebApplication app, Uri address)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = address };
    }

    public HttpClient Client { get; }

    public static async Task<KestrelSite> StartAsync(
        Action<IServiceCollection> services, Action<WebApplication> pipeline, CancellationToken cancellationToken)
    {
        var builder = TestWebApplication.CreateBuilder();
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

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
