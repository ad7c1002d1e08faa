using Mergepoints.Host.Tests.Infrastructure;
using Mergepoints.Mash.Jobs;
using Mergepoints.Middleware.Data;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Jobs;

/// <summary><c>serve</c> runs job workers itself unless <c>Jobs:InProcess</c> is false.</summary>
public sealed class InProcessWorkersTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task Serve_runs_queued_jobs_in_its_own_process()
    {
        await using var site = await RunningSite.StartAsync(_directory, """{"mounts": [{"path": "/", "app": "welcome"}]}""", new Dictionary<string, string?> { ["Jobs:Workers"] = "2", ["Jobs:InProcess"] = "true" });
        var queue = new JobQueue(new Datastore(null, Path.Combine(_directory.Path, "data", "mergepoints.db"), TimeSpan.FromSeconds(10)), new JobsOptions());

        var job = await queue.EnqueueAsync(SleepJob.Kind, """{"seconds": 0.1}""", null, TestContext.Current.CancellationToken);
        var done = await Eventually.ReadAsync(async () => (await queue.GetAsync(job.Id, TestContext.Current.CancellationToken))!, j => j.Status == JobStatus.Succeeded, "the sleep job");

        Assert.Contains($":{Environment.ProcessId}:worker-", done.LeaseOwner, StringComparison.Ordinal);
        Assert.Contains("2 job workers", site.Summary, StringComparison.Ordinal);
        Assert.Contains("running mash, sleep", site.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_says_it_runs_no_workers_when_told_not_to()
    {
        await using var site = await RunningSite.StartAsync(_directory, """{"mounts": [{"path": "/", "app": "welcome"}]}""", new Dictionary<string, string?> { ["Jobs:InProcess"] = "false" });

        Assert.Contains("no job workers in this process (Jobs:InProcess is false, or unset and MonsterMash is not mounted)", site.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_without_MonsterMash_runs_no_workers_unless_told_to()
    {
        // A counter shard on the shared datastore: it would claim mashes whose songs are in another data directory.
        await using var shard = await RunningSite.StartAsync(_directory, """{"mounts": [{"path": "/api", "app": "counter"}]}""");

        Assert.Contains("no job workers in this process", shard.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_with_MonsterMash_runs_workers_by_default()
    {
        await using var site = await RunningSite.StartAsync(_directory, """{"mounts": [{"path": "/", "app": "mash"}]}""", new Dictionary<string, string?> { ["Jobs:Workers"] = "1" });

        Assert.Contains("1 job worker", site.Summary, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();
}
