using Dapper;
using Mergepoints.Mash.Jobs;
using Mergepoints.Mash.Tests.Infrastructure;
using Mergepoints.Middleware.Data;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mergepoints.Mash.Tests.Jobs;

/// <summary>
/// Workers on the real clock with short leases: they run handlers, store progress, retry and fail, give jobs back
/// when stopped, finish what a dead worker left, and stop a job they lost.
/// </summary>
public sealed class JobWorkerPoolTests
{
    private static readonly JobsOptions Fast = new() { LeaseSeconds = 1, MaxAttempts = 2, BackoffSeconds = 0, PollMilliseconds = 50, StopGraceSeconds = 0 };

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_worker_runs_the_job_stores_its_progress_and_its_result(DatastoreKind kind)
    {
        await using var store = await JobQueues.CreateDatastoreAsync(kind);
        var queue = new JobQueue(store.Datastore, Fast);
        var finish = new TaskCompletionSource();
        var handlers = new JobHandlers().Add("mash", async (job, progress, cancellationToken) =>
        {
            progress.Report(new JobProgress("analysing A", 0.1));
            progress.Report(new JobProgress("matching", 0.5));
            await finish.Task.WaitAsync(cancellationToken);
            return $$"""{"mashed": {{job.Payload}}}""";
        });
        await using var pool = await StartAsync(queue, handlers, workers: 2);

        var job = await queue.EnqueueAsync("mash", "7", null, Cancel);
        var matching = await queue.WaitForAsync(job.Id, j => j.ProgressStage == "matching");
        finish.SetResult();
        var done = await queue.WaitForAsync(job.Id, j => j.Status != JobStatus.Running);

        Assert.Equal(0.5, matching.Progress);
        Assert.Contains(pool.Workers, worker => worker.Id == matching.LeaseOwner);
        Assert.Equal((JobStatus.Succeeded, """{"mashed": 7}""", 1), (done.Status, done.Result, done.Attempts));
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_job_of_a_kind_no_handler_runs_fails_at_once_saying_so(DatastoreKind kind)
    {
        await using var store = await JobQueues.CreateDatastoreAsync(kind);
        var queue = new JobQueue(store.Datastore, Fast);
        await using var pool = await StartAsync(queue, new JobHandlers().Add(SleepJob.Kind, SleepJob.RunAsync));

        var job = await queue.EnqueueAsync("karaoke", "{}", null, Cancel);
        var failed = await queue.WaitForAsync(job.Id, j => j.Status == JobStatus.Failed);

        Assert.Equal(1, failed.Attempts);
        Assert.Equal("No handler for job kind \"karaoke\"; this worker runs sleep.", failed.Error);
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_handler_that_throws_is_retried_then_the_job_fails_with_the_message_and_no_stack_trace(DatastoreKind kind)
    {
        await using var store = await JobQueues.CreateDatastoreAsync(kind);
        var queue = new JobQueue(store.Datastore, Fast);
        var runs = 0;
        var handlers = new JobHandlers().Add("mash", (_, _, _) =>
        {
            Interlocked.Increment(ref runs);
            throw new InvalidOperationException("Song B has no sounds to borrow.");
        });
        await using var pool = await StartAsync(queue, handlers);

        var job = await queue.EnqueueAsync("mash", "{}", null, Cancel);
        var failed = await queue.WaitForAsync(job.Id, j => j.Status == JobStatus.Failed);

        Assert.Equal((2, 2), (failed.Attempts, Volatile.Read(ref runs)));
        Assert.Equal("Song B has no sounds to borrow.", failed.Error);
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_handler_that_throws_a_permanent_failure_fails_the_job_at_once_with_attempts_left(DatastoreKind kind)
    {
        await using var store = await JobQueues.CreateDatastoreAsync(kind);
        var queue = new JobQueue(store.Datastore, Fast with { MaxAttempts = 3 });
        var runs = 0;
        var handlers = new JobHandlers().Add("mash", (_, _, _) =>
        {
            Interlocked.Increment(ref runs);
            throw new PermanentJobException("Song B was deleted before the mash could be made.");
        });
        await using var pool = await StartAsync(queue, handlers);

        var job = await queue.EnqueueAsync("mash", "{}", null, Cancel);
        var failed = await queue.WaitForAsync(job.Id, j => j.Status == JobStatus.Failed);

        Assert.Equal((1, 1), (failed.Attempts, Volatile.Read(ref runs)));
        Assert.Equal("Song B was deleted before the mash could be made.", failed.Error);
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task The_sleep_job_fails_when_its_payload_asks_it_to(DatastoreKind kind)
    {
        await using var store = await JobQueues.CreateDatastoreAsync(kind);
        var queue = new JobQueue(store.Datastore, Fast);
        await using var pool = await StartAsync(queue, new JobHandlers().Add(SleepJob.Kind, SleepJob.RunAsync));

        var slept = await queue.EnqueueAsync(SleepJob.Kind, """{"seconds": 0.1}""", null, Cancel);
        var failing = await queue.EnqueueAsync(SleepJob.Kind, """{"seconds": 0, "fail": true}""", null, Cancel);
        var nonsense = await queue.EnqueueAsync(SleepJob.Kind, """{"minutes": 1}""", null, Cancel);

        Assert.Equal("""{"slept": 0.1}""", (await queue.WaitForAsync(slept.Id, j => j.Status == JobStatus.Succeeded)).Result);
        Assert.Contains("asked it to", (await queue.WaitForAsync(failing.Id, j => j.Status == JobStatus.Failed)).Error, StringComparison.Ordinal);
        Assert.Contains("{\"seconds\": n", (await queue.WaitForAsync(nonsense.Id, j => j.Status == JobStatus.Failed)).Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_job_whose_worker_died_mid_job_is_finished_by_another_worker(DatastoreKind kind)
    {
        await using var store = await JobQueues.CreateDatastoreAsync(kind);
        var queue = new JobQueue(store.Datastore, Fast with { MaxAttempts = 3 });
        var job = await queue.EnqueueAsync(SleepJob.Kind, """{"seconds": 0.2}""", null, Cancel);
        // A worker that claims the job and then is never heard of again, as a killed process.
        var dead = await queue.ClaimAsync("elsewhere:4242:worker-1", Cancel);
        Assert.Equal(job.Id, dead?.Id);

        await using var pool = await StartAsync(queue, new JobHandlers().Add(SleepJob.Kind, SleepJob.RunAsync));
        var done = await queue.WaitForAsync(job.Id, j => j.Status == JobStatus.Succeeded);

        Assert.Equal(2, done.Attempts);
        Assert.Equal(pool.Workers.Single().Id, done.LeaseOwner);
        Assert.False(await queue.CompleteAsync(dead!, """{"by": "the dead"}""", Cancel));
        Assert.Equal("""{"slept": 0.2}""", (await queue.GetAsync(job.Id, Cancel))!.Result);
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_worker_that_lost_its_job_stops_the_handler_and_keeps_nothing_of_it(DatastoreKind kind)
    {
        await using var store = await JobQueues.CreateDatastoreAsync(kind);
        var queue = new JobQueue(store.Datastore, Fast);
        var handlerStopped = new TaskCompletionSource();
        var handlers = new JobHandlers().Add("mash", async (_, _, cancellationToken) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            finally
            {
                handlerStopped.SetResult();
            }
            return """{"by": "the worker"}""";
        });
        await using var pool = await StartAsync(queue, handlers);
        var job = await queue.EnqueueAsync("mash", "{}", null, Cancel);
        await queue.WaitForAsync(job.Id, j => j.Status == JobStatus.Running);

        // As if the worker had stalled past its lease: the lease ends, another worker takes the job.
        await using (var connection = await store.Datastore.OpenAsync(Cancel))
        {
            await connection.ExecuteAsync(new CommandDefinition("UPDATE jobs SET lease_expires_at = 0", cancellationToken: Cancel));
        }
        var thief = await queue.ClaimAsync("elsewhere:1:worker-1", Cancel);
        await handlerStopped.Task.WaitAsync(TimeSpan.FromSeconds(30), Cancel);
        await pool.StopAsync(Cancel);

        var after = (await queue.GetAsync(job.Id, Cancel))!;
        Assert.Equal(job.Id, thief?.Id);
        Assert.Equal((JobStatus.Running, "elsewhere:1:worker-1", 2), (after.Status, after.LeaseOwner, after.Attempts));
        Assert.True(await queue.CompleteAsync(thief!, """{"by": "the thief"}""", Cancel));
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task Stopping_mid_job_gives_the_job_back_without_using_an_attempt(DatastoreKind kind)
    {
        await using var store = await JobQueues.CreateDatastoreAsync(kind);
        var queue = new JobQueue(store.Datastore, Fast);
        var handlers = new JobHandlers().Add("mash", async (_, _, cancellationToken) =>
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return null;
        });
        var pool = await StartAsync(queue, handlers);
        var job = await queue.EnqueueAsync("mash", "{}", null, Cancel);
        await queue.WaitForAsync(job.Id, j => j.Status == JobStatus.Running);

        await pool.DisposeAsync();

        var released = (await queue.GetAsync(job.Id, Cancel))!;
        Assert.Equal((JobStatus.Queued, 0), (released.Status, released.Attempts));
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task Stopping_lets_a_job_finish_within_the_grace(DatastoreKind kind)
    {
        await using var store = await JobQueues.CreateDatastoreAsync(kind);
        var queue = new JobQueue(store.Datastore, Fast with { StopGraceSeconds = 30 });
        var started = new TaskCompletionSource();
        var handlers = new JobHandlers().Add("mash", async (_, _, cancellationToken) =>
        {
            started.SetResult();
            await Task.Delay(TimeSpan.FromSeconds(0.5), cancellationToken);
            return "true";
        });
        var pool = await StartAsync(queue, handlers);
        var job = await queue.EnqueueAsync("mash", "{}", null, Cancel);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30), Cancel);

        await pool.DisposeAsync();

        Assert.Equal(JobStatus.Succeeded, (await queue.GetAsync(job.Id, Cancel))!.Status);
    }

    private static async Task<JobWorkerPool> StartAsync(JobQueue queue, JobHandlers handlers, int workers = 1)
    {
        var pool = new JobWorkerPool(queue, handlers, NullLoggerFactory.Instance, workers);
        await pool.StartAsync(Cancel);
        return pool;
    }
}
