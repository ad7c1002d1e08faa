using Mergepoints.Mash.Jobs;
using Mergepoints.Middleware.Data;
using Mergepoints.Testing;

namespace Mergepoints.Mash.Tests.Infrastructure;

/// <summary>A fresh datastore with the jobs table, and a way to wait for a job to get somewhere.</summary>
public static class JobQueues
{
    public static async Task<TestDatastore> CreateDatastoreAsync(DatastoreKind kind)
    {
        var store = await Databases.CreateAsync(kind);
        await new Migrator(store.Datastore).ApplyAsync(JobsSchema.Owner, JobsSchema.Migrations, TestContext.Current.CancellationToken);
        return store;
    }

    /// <summary>The job once <paramref name="done"/> holds for it; fails the test after 30 s with the job as it last was.</summary>
    public static Task<Job> WaitForAsync(this JobQueue queue, string id, Func<Job, bool> done) => Eventually.ReadAsync(
        async () => await queue.GetAsync(id, TestContext.Current.CancellationToken) ?? throw new InvalidOperationException($"no job {id}"),
        done,
        $"job {id} getting there");
}
