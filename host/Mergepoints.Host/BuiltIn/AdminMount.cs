using Mergepoints.Admin;
using Mergepoints.Host.Configuration;
using Mergepoints.Host.Mounts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Mergepoints.Host.BuiltIn;

/// <summary>
/// Mounts the admin over the host's one datastore, library and job queue, with its settings from section
/// <c>Admin</c> of appsettings.json. Its login redirects follow the site config's <c>accounts</c>, and with no
/// <c>Admin:CounterUrls</c> it asks the counter mounted on this very site.
/// </summary>
public static class AdminMount
{
    /// <summary>Reads the settings and starts the admin; a setting it cannot use stops the host with one line.</summary>
    public static async Task<MountedApp> MountAsync(BuiltInAppContext context, CancellationToken cancellationToken)
    {
        var options = SettingsSection.Read<AdminOptions>(context.HostServices.GetRequiredService<IConfiguration>(), "Admin", o => o.Problem());
        options.AccountsPath = context.Site.AccountsPath;
        if (context.Site.Mounts.OfType<AppMountConfig>().FirstOrDefault(m => m.App == "counter") is { } counter && counter.Path != "/")
        {
            options.CounterPath = counter.Path;
        }
        var (app, stopAsync) = await AdminSite.StartAsync(context.HostServices, options, cancellationToken);
        var counters = options.CounterUrls.Count == 0 ? $"the counter at {options.CounterPath} of this host" : string.Join(", ", options.CounterUrls);
        return new MountedApp(app, $"admin (users, songs, mashes, jobs, audit; counts from {counters})", stopAsync);
    }
}
