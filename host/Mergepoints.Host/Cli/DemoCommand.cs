using System.CommandLine;
using Mergepoints.Host.Configuration;
using Mergepoints.Host.Mounts;
using Mergepoints.Host.Serving;
using Mergepoints.Mash.Jobs;
using Mergepoints.Mash.Library;

namespace Mergepoints.Host.Cli;

/// <summary>
/// <c>mergepoints demo [--data DIR]</c>: adds the two synthesized demo songs to the library (once, however often it
/// runs), so a new site has something to mash before anyone uploads. The button on an empty home page does the same.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var data = DataOption.Create();
        var command = new Command("demo", "Add two synthesized demo songs to the library, so there is something to mash at once (a no-op when they are there).") { data };
        command.SetAction(async (parse, cancellationToken) =>
        {
            // The default site, as `serve` without options runs it: its data directory and where it listens.
            var site = SiteConfigLoader.Load(ServeCommand.DefaultConfigFile, BuiltInApps.Names);
            var configuration = DatastoreSettings.LoadConfiguration();
            var dataDirectory = DataOption.Resolve(parse.GetValue(data) ?? site.DataDirectory);
            var datastore = DatastoreSettings.Open(configuration, dataDirectory);
            var library = new MashLibrary(datastore, new JobQueue(datastore, HostJobs.Options(configuration)), dataDirectory, HostJobs.MashOptions(configuration));
            await DatastoreSettings.MigrateAsync(datastore, cancellationToken);
            var songs = await library.Demo.EnsureAsync(cancellationToken);
            Console.WriteLine($"Demo songs in {datastore.Description}:");
            for (var i = 0; i < songs.Count; i++)
            {
                Console.WriteLine($"  {"AB"[i]}  {songs[i].Id}  {songs[i].Title}");
            }
            Console.WriteLine($"Start the site (mergepoints serve), open {site.Urls[0]} and mash them.");
            return 0;
        });
        return command;
    }
}
