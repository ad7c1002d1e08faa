using Mergepoints.Host.Configuration;
using Mergepoints.Owin.KestrelToOwin;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Mergepoints.Host.Serving;

/// <summary>
/// Kestrel in front of a <see cref="Site"/>: <c>/healthz</c> for the host itself, then every request into the
/// dispatcher as an OWIN environment. SIGTERM or Ctrl+C stops it gracefully: requests in flight finish first.
/// </summary>
public sealed class SiteHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Site _site;

    private SiteHost(WebApplication app, Site site)
    {
        _app = app;
        _site = site;
    }

    /// <summary>The addresses Kestrel actually listens on (a port of 0 in the config becomes a real one here).</summary>
    public IReadOnlyList<string> Addresses =>
        [.. _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses];

    /// <summary>Mounts the site, then starts listening; nothing listens if a mount fails.</summary>
    public static async Task<SiteHost> StartAsync(SiteConfig config, IReadOnlyList<string> urls, string dataDirectory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory);
        // Our own command line is not the host's: no args, and appsettings.json from beside the executable.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls([.. urls]);
        // Kestrel's limits (the upload limit above all) come from appsettings.json; the framework binds only its endpoints.
        builder.Services.Configure<KestrelServerOptions>(builder.Configuration.GetSection("Kestrel"));
        builder.Services.AddHealthChecks();
        builder.Services.AddReverseProxy();
        // YARP brings Data Protection; its keys live with the data so that a restart keeps them.
        builder.Services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "keys")));
        var app = builder.Build();

        var site = await Site.MountAsync(config, dataDirectory, app.Services, app.Lifetime.ApplicationStopping);
        app.UseHealthChecks("/healthz");
        app.RunOwin(site.Dispatcher.InvokeAsync);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await site.DisposeAsync();
            await app.DisposeAsync();
            throw;
        }
        return new SiteHost(app, site);
    }

    /// <summary>Writes what a newcomer needs to see: where the site listens and what each mount serves.</summary>
    public void PrintSummary(TextWriter output)
    {
        output.WriteLine($"Mergepoints listening on {string.Join(", ", Addresses)}");
        var width = _site.Mounts.Select(m => m.Path.Length).Append("/healthz".Length).Max();
        foreach (var (path, description) in _site.Mounts)
        {
            output.WriteLine($"  {path.PadRight(width)}  -> {description}");
        }
        output.WriteLine($"  {"/healthz".PadRight(width)}  -> the host's health check");
        output.WriteLine($"Config {_site.Config.Source}. Press Ctrl+C to stop.");
    }

    /// <summary>Waits for SIGTERM, Ctrl+C or <paramref name="cancellationToken"/>, then stops gracefully.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _site.DisposeAsync();
        await _app.DisposeAsync();
    }
}
