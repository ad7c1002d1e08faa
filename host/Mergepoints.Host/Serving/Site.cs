using Mergepoints.Host.Configuration;
using Mergepoints.Host.Mounts;
using Mergepoints.Owin.Dispatch;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Mergepoints.Host.Serving;

/// <summary>
/// Every mount of a config, started and put behind one <see cref="PathDispatcher"/>. Mounting happens before
/// the host listens, so a mount that cannot start stops everything with its one-line error.
/// </summary>
public sealed class Site : IAsyncDisposable
{
    private readonly List<(string Path, MountedApp App)> _mounts = [];

    private Site(SiteConfig config) => Config = config;

    /// <summary>The config the site was built from.</summary>
    public SiteConfig Config { get; }

    /// <summary>The dispatcher over every mount; the host runs it as its last step.</summary>
    public PathDispatcher Dispatcher { get; } = new();

    /// <summary>Each mount's path and what serves it, in config order.</summary>
    public IEnumerable<(string Path, string Description)> Mounts => _mounts.Select(m => (m.Path, m.App.Description));

    /// <summary>Starts every mount of <paramref name="config"/>; on any failure the ones already started are stopped.</summary>
    public static async Task<Site> MountAsync(SiteConfig config, string dataDirectory, IServiceProvider services, CancellationToken stopping)
    {
        var site = new Site(config);
        try
        {
            foreach (var mount in config.Mounts)
            {
                site.Add(mount.Path, await MountOneAsync(mount, config, dataDirectory, services, stopping));
            }
            return site;
        }
        catch
        {
            await site.DisposeAsync();
            throw;
        }
    }

    /// <summary>Mounts <paramref name="app"/>, behind <paramref name="wrap"/> when given (middleware for this mount only).</summary>
    public void Add(string path, MountedApp app, Func<AppFunc, AppFunc>? wrap = null)
    {
        _mounts.Add((path, app));
        Dispatcher.Mount(path, wrap is null ? app.App : wrap(app.App));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var (_, app) in Enumerable.Reverse(_mounts))
        {
            await app.DisposeAsync();
        }
        _mounts.Clear();
    }

    private static async Task<MountedApp> MountOneAsync(MountConfig mount, SiteConfig config, string dataDirectory, IServiceProvider services, CancellationToken stopping) => mount switch
    {
        AppMountConfig app => await BuiltInApps.MountAsync(app.App, new BuiltInAppContext(app.Path, config, dataDirectory, services), stopping),
        AssemblyMountConfig assembly => AssemblyMount.Mount(config.Source, assembly),
        ProxyMountConfig proxy => ProxyMount.Mount(proxy, services.GetRequiredService<IHttpForwarder>(), services.GetRequiredService<ITransformBuilder>()),
        StaticMountConfig files => StaticMount.Mount(files, services),
        _ => throw new ConfigException(config.Source, mount.Path, $"unsupported mount kind {mount.GetType().Name}"),
    };
}
