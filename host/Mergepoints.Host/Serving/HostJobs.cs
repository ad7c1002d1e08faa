using Mergepoints.Mash.Jobs;
using Mergepoints.Middleware.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mergepoints.Host.Serving;

/// <summary>
/// The job queue and its workers as <c>serve</c> and <c>worker</c> both set them up: the queue over the shared
/// datastore with section <c>Jobs</c> of appsettings.json, a handler registry the apps add their kinds to while
/// they mount (the host itself adds only the diagnostic <c>sleep</c>), and the worker pool started and stopped
/// with the process.
/// </summary>
public static class HostJobs
{
    /// <summary>Section <c>Jobs</c>, checked.</summary>
    public static JobsOptions Options(IConfiguration configuration) =>
        (configuration.GetSection("Jobs").Get<JobsOptions>() ?? new JobsOptions()).Validate();

    /// <summary>
    /// Registers the queue and the handler registry, and the pool of <paramref name="workers"/> (or as many as
    /// the settings say) as a hosted service when <paramref name="runWorkers"/>.
    /// </summary>
    public static void Add(IServiceCollection services, IConfiguration configuration, Datastore datastore, bool runWorkers, int? workers = null)
    {
        services.AddSingleton(new JobQueue(datastore, Options(configuration)));
        services.AddSingleton(new JobHandlers().Add(SleepJob.Kind, SleepJob.RunAsync));
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
            : "no job workers in this process (Jobs:InProcess is false)";
    }
}
