using Mergepoints.Host.Configuration;
using Mergepoints.Host.Mounts;
using Mergepoints.Mash.Jobs;
using Mergepoints.Mash.Library;
using Mergepoints.Mash.Web;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mergepoints.Host.BuiltIn;

/// <summary>
/// Mounts MonsterMash's site over the host's one <see cref="MashLibrary"/> and job queue, with its settings from
/// section <c>Mash</c> of appsettings.json (which the library reads too) and the host's key ring for its
/// antiforgery tokens. The links to the account pages follow the site config's <c>accounts</c>, the plays go to its
/// <c>counter</c> mount.
/// </summary>
public static class MashMount
{
    /// <summary>Reads the settings and starts the site; a setting it cannot use stops the host with one line.</summary>
    public static async Task<MountedApp> MountAsync(BuiltInAppContext context, CancellationToken cancellationToken)
    {
        var services = context.HostServices;
        var options = SettingsSection.Read<MashSiteOptions>(services.GetRequiredService<IConfiguration>(), "Mash", o => o.Problem());
        options.AccountsPath = context.Site.AccountsPath;
        // Plays go to the counter this site really mounts, wherever that is; without one they are not counted.
        options.CounterPath = context.Site.Mounts.OfType<AppMountConfig>().FirstOrDefault(m => m.App == "counter")?.Path.TrimEnd('/');
        var library = services.GetRequiredService<MashLibrary>();
        var (app, lifetime) = await MashSite.StartAsync(
            library,
            services.GetRequiredService<JobQueue>(),
            services.GetRequiredService<IDataProtectionProvider>(),
            services.GetRequiredService<ILoggerFactory>(),
            options,
            services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping,
            cancellationToken);
        return new MountedApp(
            app,
            $"mash (MonsterMash: uploads up to {library.Options.MaxUploadBytes} bytes, "
                + (options.CounterPath is { } counter ? $"plays counted at {(counter.Length == 0 ? "/" : counter)})" : "plays not counted: no counter mounted)"),
            lifetime.DisposeAsync);
    }
}
