using System.CommandLine;
using Mergepoints.Host.Configuration;
using Mergepoints.Host.Mounts;
using Mergepoints.Host.Serving;
using Mergepoints.Host.Slots;

namespace Mergepoints.Host.Cli;

/// <summary><c>mergepoints serve</c>, the default command: runs the site a config describes.</summary>
internal static class ServeCommand
{
    /// <summary>The config used when <c>--config</c> is not given: shipped beside the executable.</summary>
    public static string DefaultConfigFile => Path.Combine(AppContext.BaseDirectory, "mergepoints.json");

    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "The site config (JSON): what to mount where. Default: mergepoints.json beside the executable." };
        var urls = new Option<string>("--urls") { Description = "Where to listen, e.g. http://127.0.0.1:5000 (several separated by ';'); overrides the config." };
        var data = DataOption.Create();
        var logs = new Option<string>("--logs") { Description = "Where a slot's lock and log go (PORT.lock, PORT.log); overrides the config's \"logs\". Default: ./logs" };
        var command = new Command("serve", "Serve the site: mount every app of the config under one host and listen (on the first free slot, when the config lists slots).") { config, urls, data, logs };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(config), parse.GetValue(urls), parse.GetValue(data), parse.GetValue(logs), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string? configFile, string? urls, string? data, string? logs, CancellationToken cancellationToken)
    {
        var site = SiteConfigLoader.Load(configFile ?? DefaultConfigFile, BuiltInApps.Names);
        var listen = urls is null ? site.Urls : ParseUrls(urls);
        var dataDirectory = DataOption.Resolve(data ?? site.DataDirectory);
        // The slot first, before the migration and the mounts: an instance with no slot to take starts nothing.
        // Declared before the host, so it is given back only after the host has stopped listening on it.
        using var slot = urls is null && site.Slots.Count > 0 ? SlotPicker.Take(site.Slots, ResolveLogs(logs ?? site.LogsDirectory), Console.Out) : null;
        await using var host = await SiteHost.StartAsync(site, slot is null ? listen : [slot.Slot.Url], dataDirectory, cancellationToken, logFile: slot?.LogFile);
        host.PrintSummary(Console.Out, slot?.Describe());
        await host.WaitForShutdownAsync(cancellationToken);
        return 0;
    }

    private static string ResolveLogs(string? value) => value is not null && value.Trim().Length == 0
        ? throw new UsageException("--logs must name a directory")
        : Path.GetFullPath(value ?? "logs");

    private static string[] ParseUrls(string urls)
    {
        var list = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return list.Length > 0 && list.All(SiteConfigLoader.IsListenUrl)
            ? list
            : throw new UsageException($"--urls: bad URL \"{urls}\" (expected http://HOST:PORT, several separated by ';'; TLS belongs to nginx in front)");
    }
}
