using Mergepoints.Host.Configuration;
using Mergepoints.Mash.Jobs;
using Mergepoints.Mash.Library;
using Mergepoints.Mash.Mashing;
using Mergepoints.Middleware.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mergepoints.Host.Serving;

/// <summary>
/// The job queue and its workers as <c>serve</c> and <c>worker</c> both set them up: the queue over the shared
/// datastore with section <c>Jobs</c> of appsettings.json, the mash library (section <c>Mash</c>) whose <c>mash</c>
/// jobs they run beside the diagnostic <c>sleep</c>, a handler registry other apps may add kinds to while they
/// mount, the retention of old songs and mashes, and the worker pool started and stopped with the process.
/// </summary>
public static class HostJobs
{
    /// <summary>Section <c>Jobs</c>, checked.</summary>
    public static JobsOptions Options(IConfiguration configuration) =>
        (configuration.GetSection("Jobs").Get<JobsOptions>() ?? new JobsOptions()).Validate();

    /// <summary>Section <c>Mash</c>, or the one-line config error that stops the process before it starts.</summary>
    public static MashLibraryOptions MashOptions(IConfiguration configuration)
    {
        try
        {
            return (configuration.GetSection("Mash").Get<MashLibraryOptions>() ?? new MashLibraryOptions()).Validate();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // The binder's own words name the key and the value: "Failed to convert configuration value 'big' at 'Mash:MaxUploadBytes'".
            throw new ConfigException("appsettings.json", e.Message);
        }
    }

    /// <summary>
    /// Registers the queue, the <see cref="MashLibrary"/> over <paramref name="dataDirectory"/> and the handler registry;
    /// the retention service where the songs' files are (<paramref name="holdsSongs"/>, or a process that runs
    /// workers): elsewhere it would delete rows and leave their files and analyses behind; and the pool of
    /// <paramref name="workers"/> (or as many as the settings say) as a hosted service when <paramref name="runWorkers"/>.
    /// </summary>
    public static void Add(IServiceCollection services, IConfiguration configuration, Datastore datastore, string dataDirectory, bool runWorkers, bool holdsSongs, int? workers = null)
    {
        var queue = new JobQueue(datastore, Options(configuration));
        var library = new MashLibrary(datastore, queue, dataDirectory, MashOptions(configuration));
        services.AddSingleton(queue);
        services.AddSingleton(library);
        services.AddSingleton(provider => new JobHandlers()
            .Add(SleepJob.Kind, SleepJob.RunAsync)
            .Add(MashJob.Kind, new MashJob(library, provider.GetRequiredService<ILoggerFactory>().CreateLogger("Mergepoints.Mash")).RunAsync));
        if (runWorkers || holdsSongs)
        {
            services.AddHostedService(provider => new RetentionService(library, provider.GetRequiredService<ILoggerFactory>()));
        }
        if (runWorkers)
        {
            services.AddSingleton(provider => new JobWorkerPool(
                provider.GetRequiredService<JobQueue>(), provider.GetRequiredService<JobHandlers>(), provider.GetRequiredService<ILoggerFactory>(), workers));
            services.AddHostedService(provider => provider.GetRequiredService<JobWorkerPool>());
        }
    }

    /// <summary>One line on what this process does with jobs, for the start-up summary.</summary>
    public static string Describe(IServiceProvider services)
    {
        var handlers = services.GetRequiredService<JobHandlers>();
        return services.GetService<JobWorkerPool>() is { } pool
            ? $"{pool.Workers.Count} job worker{(pool.Workers.Count == 1 ? "" : "s")} ({pool.Workers[0].Id} …) running {string.Join(", ", handlers.Kinds)}"
            : "no job workers in this process (Jobs:InProcess is false, or unset and MonsterMash is not mounted)";
    }
}
