using Mergepoints.Counter.Client;
using Mergepoints.Counter.Http;
using Mergepoints.Counter.Storage;
using Mergepoints.Counter.WriteBehind;
using Mergepoints.Host.Configuration;
using Mergepoints.Host.Mounts;
using Mergepoints.Middleware.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mergepoints.Host.BuiltIn;

/// <summary>
/// Mounts the play counter, or with <c>Counter:Shards</c> set a gateway to counter shards in other processes
/// (<see cref="CounterGateway"/>). The counter itself: opens its counts (section <c>Counter</c> of appsettings.json; the log under
/// <c>DATA/counter</c> unless it names a directory), sets up the write-behind into the shared datastore (an
/// admin's <c>POST /flush</c> always; every <c>WriteBehindSeconds</c> unless that is 0),
/// and closes both after the server has stopped, so the last acknowledged play is on disk (and in the database)
/// before the process exits.
/// </summary>
public static partial class CounterMount
{
    /// <summary>The counter's table, as the host's migrations know it.</summary>
    public static (string Owner, IReadOnlyList<Migration> Migrations) Schema { get; } =
        (CounterSchema.Owner, [.. CounterSchema.Migrations.Select(m => new Migration(m.Version, m.Name, m.Sql))]);

    /// <summary>Recovers the counts, logs what recovery found, and mounts the app over them.</summary>
    public static async Task<MountedApp> MountAsync(BuiltInAppContext context, CancellationToken cancellationToken)
    {
        var configuration = context.HostServices.GetRequiredService<IConfiguration>();
        if (ReadShards(configuration) is { } shards)
        {
            // The counts live in the shards: no log here, and no write-behind (each shard flushes its own). The
            // public answers name a failed shard by its place; the log has its URL.
            var gatewayLogger = context.HostServices.GetRequiredService<ILoggerFactory>().CreateLogger("Mergepoints.Counter.Gateway");
            return new MountedApp(
                CounterGateway.Create(shards, failure => LogShardFailed(gatewayLogger, failure)),
                $"counter gateway over {shards.Servers.Count} shard{(shards.Servers.Count == 1 ? "" : "s")} ({string.Join(", ", shards.Servers)})",
                () =>
                {
                    shards.Dispose();
                    return ValueTask.CompletedTask;
                });
        }
        var options = SettingsSection.Read<CounterOptions>(configuration, "Counter", o => o.Problem());
        if (options.Directory.Length == 0)
        {
            options.Directory = Path.Combine(context.DataDirectory, "counter");
        }
        var logger = context.HostServices.GetRequiredService<ILoggerFactory>().CreateLogger("Mergepoints.Counter");
        var counts = await PlayCounts.OpenAsync(options, cancellationToken);
        var recovery = counts.Recovery;
        LogRecovered(logger, context.MountPath, recovery.SnapshotSongs, recovery.ReplayedRecords, recovery.Elapsed.TotalMilliseconds);
        if (recovery.DroppedBytes > 0)
        {
            LogTornTail(logger, recovery.DroppedBytes);
        }

        // The host always has its datastore, so the flush is always there; the interval only decides the automatic ones.
        var datastore = context.HostServices.GetRequiredService<Datastore>();
        var writeBehind = new CounterWriteBehindLoop(
            new SongsWriteBehind(counts, datastore.OpenAsync),
            options.WriteBehindSeconds > 0 ? TimeSpan.FromSeconds(options.WriteBehindSeconds) : null,
            logger);
        return new MountedApp(
            CounterApp.Create(counts, writeBehind.FlushNowAsync),
            $"counter (durability {options.Durability.ToString().ToLowerInvariant()}"
                + (options.Durability == Durability.Memory ? "" : $", log in {options.Directory}")
                + (options.WriteBehindSeconds > 0 ? $", into songs.play_count every {options.WriteBehindSeconds} s and on POST /flush)"
                    : ", into songs.play_count on POST /flush only)"),
            async () =>
            {
                try
                {
                    await writeBehind.DisposeAsync();
                }
                finally
                {
                    // Whatever the database did, the log is closed: batch mode's answered plays reach the disk.
                    await counts.DisposeAsync();
                }
            });
    }

    /// <summary>
    /// <c>Counter:Shards</c>, each the URL a shard's counter is mounted at (<c>http://127.0.0.1:7001/api</c>), as a
    /// client over them; null when there are none. A bad URL is the one-line config error that stops the host.
    /// </summary>
    private static CountClient? ReadShards(IConfiguration configuration)
    {
        var section = configuration.GetSection("Counter:Shards");
        var urls = section.GetChildren().Select(child => (child.Path, child.Value ?? "")).ToArray();
        if (urls.Length == 0)
        {
            return section.Value is { Length: > 0 } single
                ? throw new ConfigException("appsettings.json", $"Counter:Shards is a list of counter URLs (Counter__Shards__0={single}), not '{single}'.")
                : null;
        }
        var servers = new List<Uri>();
        foreach (var (path, url) in urls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var server))
            {
                throw new ConfigException("appsettings.json", $"{path}: '{url}' is not an absolute URL (http://host:port/api).");
            }
            servers.Add(server);
        }
        try
        {
            return new CountClient(new CountClientOptions { Servers = servers });
        }
        catch (ArgumentException e)
        {
            // CountClient's own words name the URL: not http, listed twice, two on one host:port.
            throw new ConfigException("appsettings.json", $"Counter:Shards: {e.Message.Split(" (Parameter", 2)[0]}");
        }
    }
    [LoggerMessage(Level = LogLevel.Information, Message = "Counter at {Path}: {SnapshotSongs} songs from the snapshot, {Records} log records replayed in {Milliseconds:F0} ms")]
    private static partial void LogRecovered(ILogger logger, string path, int snapshotSongs, long records, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Counter gateway: {Failure}")]
    private static partial void LogShardFailed(ILogger logger, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Counter: dropped {Bytes} bytes of torn or corrupt log tail (a crash mid-write); every record before them was kept")]
    private static partial void LogTornTail(ILogger logger, long bytes);
}
