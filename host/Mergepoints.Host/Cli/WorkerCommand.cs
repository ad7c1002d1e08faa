using System.CommandLine;
using Mergepoints.Host.Serving;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Mergepoints.Host.Cli;

/// <summary>
/// <c>mergepoints worker [--data DIR] [--workers N]</c>: job workers without a web server, in a process of their
/// own, on this machine (same SQLite file) or on others (same PostgreSQL database). SIGTERM or Ctrl+C stops it
/// gracefully: running jobs finish within <c>Jobs:StopGraceSeconds</c> or go back to the queue.
/// </summary>
internal static class WorkerCommand
{
    public static Command Create()
    {
        var data = DataOption.Create();
        var workers = new Option<int?>("--workers") { Description = "How many jobs to run at once. Default: Jobs:Workers of appsettings.json, 0 there meaning one per core." };
        var command = new Command("worker", "Run job workers against the shared datastore, without serving the site.") { data, workers };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(data), parse.GetValue(workers), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string? data, int? workers, CancellationToken cancellationToken)
    {
        if (workers is < 1)
        {
            throw new UsageException("--workers must be 1 or more");
        }
        var dataDirectory = DataOption.Resolve(data);
        // Our own command line is not the host's: no args, and appsettings.json from beside the executable.
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        var datastore = DatastoreSettings.Open(builder.Configuration, dataDirectory);
        // Settings first: a bad one stops the worker before it touches the database.
        HostJobs.Add(builder.Services, builder.Configuration, datastore, dataDirectory, runWorkers: true, holdsSongs: true, workers);
        await DatastoreSettings.MigrateAsync(datastore, cancellationToken);
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        Console.WriteLine($"Mergepoints worker: {HostJobs.Describe(host.Services)}; datastore {datastore.Description}. Press Ctrl+C to stop.");
        await host.WaitForShutdownAsync(cancellationToken);
        return 0;
    }
}
