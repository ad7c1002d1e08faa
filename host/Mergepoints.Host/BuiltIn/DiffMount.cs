using Mergepoints.Host.Configuration;
using Mergepoints.Host.Mounts;
using Mergepoints.HtmlDiff.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Mergepoints.Host.BuiltIn;

/// <summary>
/// Mounts the HTML diff (page and service) with its settings from section <c>HtmlDiff</c> of appsettings.json.
/// Its body limit sits below Kestrel's, so an oversized diff gets the app's own 413 that names the limit.
/// </summary>
public static class DiffMount
{
    /// <summary>Reads the settings and mounts the app; a limit it cannot use stops the host with one line.</summary>
    public static Task<MountedApp> MountAsync(BuiltInAppContext context, CancellationToken cancellationToken)
    {
        var options = SettingsSection.Read<DiffAppOptions>(context.HostServices.GetRequiredService<IConfiguration>(), "HtmlDiff", o => o.Problem());
        return Task.FromResult(new MountedApp(DiffApp.Create(options), $"html diff (page and service; bodies up to {options.MaxBodyBytes} bytes)"));
    }
}
