using Mergepoints.Counter.Http;
using Mergepoints.Counter.Storage;
using Mergepoints.Host.Mounts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Mergepoints.Host.BuiltIn;

/// <summary>
/// Mounts the play counter: opens its counts (section <c>Counter</c> of appsettings.json; the log under
/// <c>DATA/counter</c> unless it names a directory) and closes them after the server has stopped, so the last
/// acknowledged play is on disk before the process exits.
/// </summary>
public static class CounterMount
{
    /// <summary>Recovers the counts, logs what recovery found, and mounts the app over them.</summary>
    public static async Task<MountedApp> MountAsync(BuiltInAppContext context, CancellationToken cancellationToken)
    {
        var options = context.HostServices.GetRequiredService<IConfiguration>().GetSection("Counter").Get<CounterOptions>() ?? new CounterOptions();
        if (options.Directory.Length == 0)
        {
            options.Directory = Path.Combine(context.DataDirectory, "counter");
        }
        var counts = await PlayCounts.OpenAsync(options, cancellationToken);
        return new MountedApp(
            CounterApp.Create(counts),
            $"counter (durability {options.Durability.ToString().ToLowerInvariant()}, log in {options.Directory})",
            counts.DisposeAsync);
    }
}
