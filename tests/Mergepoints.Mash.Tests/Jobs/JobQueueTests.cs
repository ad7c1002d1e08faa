using System.Collections.Concurrent;
using Mergepoints.Mash.Jobs;
using Mergepoints.Mash.Tests.Infrastructure;
using Mergepoints.Middleware.Data;
using Mergepoints.Testing;

namespace Mergepoints.Mash.Tests.Jobs;

/// <summary>
/// The queue on both databases, on a clock the tests move: claims, leases, retries, failures, the admin's
/// operations, and jobs that outlive the queue object that made them.
/// </summary>
public sealed class JobQueueTests
{
    private static readonly JobsOptions Options = new() { LeaseSeconds = 30, MaxAttempts = 3, BackoffSeconds = 5, MaxBackoffSeconds = 60 };
    private readonly ManualClock _clock = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task An_enqueued_job_is_claimed_once_and_completed_with_its_result(DatastoreKind kind)
    {
        await using var store = await JobQueues.CreateDatastoreAsync(kind);
        var queue = new JobQueue(store.Datastore, Options, _clock);
        var enqueued = await queue.EnqueueAsync("mash", """{"a": "song-a", "b": "song-b"}""", "user-1", Cancel);

        var claimed = await queue.ClaimAsync("host:1:worker-1", Cancel);
        var nothingLeft = await queue.ClaimAsync("host:1:worker-2", Cancel);
        var completed = await queue.CompleteAsync(claimed!, """{"mash": "blob-1"}""", Cancel);

        Assert.Equal(enqueued.Id, claimed?.Id);
        Assert.Equal(JobStatus.Running, claimed!.Status);
        Assert.Equal(("host:1:worker-1", 1), (claimed.LeaseOwner, claimed.Attempts));
        Assert.Equal(_clock.GetUtcNow() + Options.Lease, claimed.LeaseExpiresAt);
        Assert.Null(nothingLeft);
        Assert.True(completed);
        var done = await queue.GetAsync(enqueued.Id, Cancel);
        Assert.Equal(JobStatus.Succeeded, done!.Status);
        Assert.Equal(("""{"mash": "blob-1"}""", """{"a": "song-a", "b": "song-b"}""", "user-1", 1.0), (done.Result, done.Payload, done.OwnerUserId, done.Progress));
        Assert.Null(await queue.ClaimAsync("host:1:worker-1", Cancel));
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task Concurrent_claimers_each_get_a_different_job_and_every_job_is_claimed_once(DatastoreKind kind)
    {
        await using var store = await JobQueues.CreateDatastoreAsync(kind);
        var enqueuer = new JobQueue(store.Datastore, Options, _clock);
        var ids = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            ids.Add((await enqueuer.EnqueueAsync("mash", $$"""{"n": {{i}}}""", null, Cancel)).Id);
        }

        var claims = new ConcurrentBag<(string Worker, string Job)>();
        await Task.WhenAll(Enumerable.Range(1, 8).Select(n => Task.Run(async () =>
        {
            // Each claimer a queue object of its own, as separate processes would have.
            var queue = new JobQueue(store.Datastore, Options, _clock);
            while (await queue.ClaimAsync($"host:{n}:worker-1", Cancel) is { } job)
            {
                claims.Add(($"host:{n}:worker-1", job.Id));
            }
        }, Cancel)));

        Assert.Equal(ids.Order(), claims.Select(c => c.Job).Order());
        foreach (var (worker, job) in claims)
        {
            Assert.Equal(worker, (await enqueuer.GetAsync(job, Cancel))!.LeaseOwner);
        }
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_job_whose_lease_ran_out_goes_to_another_worker_and_the_first_is_refused(DatastoreKind kind)
    {
        await using var store = await JobQueues.CreateDatastoreAsync(kind);
        var queue = new JobQueue(store.Datastore, Options, _clock);
        var job = await queue.EnqueueAsync("mash", "{}", null, Cancel);
        var first = (await queue.ClaimAsync("host:1:worker-1", Cancel))!;

        _clock.Advance(Options.Lease - TimeSpan.FromSeconds(1));
        var tooEarly = await queue.ClaimAsync("host:2:worker-1", Cancel);
        _clock.Advance(TimeSpan.FromSeconds(2));
        var second = await queue.ClaimAsync("host:2:worker-1", Cancel);

        Assert.Null(tooEarly);
        Assert.Equal(job.Id, second?.Id);
        Assert.Equal(2, second!.Attempts);
        Assert.False(await queue.HeartbeatAsync(first, new JobProgress("matching", 0.9), Cancel));
        Assert.False(await queue.CompleteAsync(first, """{"by": "first"}""", Cancel));
        Assert.False(await queue.FailAsync(first, "first gave up", retry: true, Cancel));
        Assert.False(await queue.ReleaseAsync(first, Cancel));
        Assert.True(await queue.CompleteAsync(second, """{"by": "second"}""", Cancel));
        var done = (await queue.GetAsync(job.Id, Cancel))!;
        Assert.Equal((JobStatus.Succeeded, """{"by": "second"}""", "host:2:worker-1", null), (done.Status, done.Result, done.LeaseOwner, done.Error));
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task Heartbeats_keep_the_lease_past_its_first_end(DatastoreKind kind)
    {
        await using var store = await JobQueues.CreateDatastoreAsync(kind);
        var queue = new JobQueue(store.Datastore, Options, _clock);
        await queue.EnqueueAsync("mash", "{}", null, Cancel);
        var claimed = (await queue.ClaimAsync("host:1:worker-1", Cancel))!;

        for (var beat = 0; beat < 3; beat++)
        {
            _clock.Advance(Options.Lease * 2 / 3);
            Assert.True(await queue.HeartbeatAsync(claimed, null, Cancel));
        }
        _clock.Advance(Options.Lease * 2 / 3);

        Assert.Null(await queue.ClaimAsync("host:2:worker-1", Cancel));
        Assert.True(await queue.CompleteAsync(claimed, null, Cancel));
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task Failed_attempts_wait_out_a_doubling_backoff_then_the_job_fails_with_its_error_kept(DatastoreKind kind)
    {
        await using var store = await JobQueues.CreateDatastoreAsync(kind);
        var queue = new JobQueue(store.Datastore, Options, _clock);
        var job = await queue.EnqueueAsync("mash", "{}", null, Cancel);

        Assert.True(await queue.FailAsync((await queue.ClaimAsync("w1", Cancel))!, "song B is silent (1)", retry: true, Cancel));
        var afterFirst = (await queue.GetAsync(job.Id, Cancel))!;
        Assert.Equal((JobStatus.Queued, 1, "song B is silent (1)"), (afterFirst.Status, afterFirst.Attempts, afterFirst.Error));
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromSeconds(5), afterFirst.RunAfter);
        _clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Null(await queue.ClaimAsync("w1", Cancel));
        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.True(await queue.FailAsync((await queue.ClaimAsync("w1", Cancel))!, "song B is silent (2)", retry: true, Cancel));
        _clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Null(await queue.ClaimAsync("w1", Cancel));
        _clock.Advance(TimeSpan.FromSeconds(1));

        var third = (await queue.ClaimAsync("w1", Cancel))!;
        Assert.Equal(3, third.Attempts);
        Assert.True(await queue.FailAsync(third, "song B is silent (3)", retry: true, Cancel));
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Null(await queue.ClaimAsync("w1", Cancel));
        var failed = (await queue.GetAsync(job.Id, Cancel))!;
        Assert.Equal((JobStatus.Failed, 3, "song B is silent (3)"), (failed.Status, failed.Attempts, failed.Error));
    }

    [Fact]
    public void The_backoff_doubles_per_attempt_up_to_its_cap()
    {
        Assert.Equal([5, 10, 20, 40, 60, 60], Enumerable.Range(1, 6).Select(attempt => Options.BackoffAfter(attempt).TotalSeconds));
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_failure_that_retrying_cannot_mend_fails_the_job_at_once(DatastoreKind kind)
    {
        await using var store = await JobQueues.CreateDatastoreAsync(kind);
        var queue = new JobQueue(store.Datastore, Options, _clock);
        var job = await queue.EnqueueAsync("mash", "{}", null, Cancel);

        Assert.True(await queue.FailAsync((await queue.ClaimAsync("w1", Cancel))!, "No handler for job kind \"mash\"", retry: false, Cancel));

        var failed = (await queue.GetAsync(job.Id, Cancel))!;
        Assert.Equal((JobStatus.Failed, 1), (failed.Status, failed.Attempts));
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task Workers_that_die_on_every_attempt_use_up_the_attempts_and_the_job_fails_saying_so(DatastoreKind kind)
    {
        await using var store = await JobQueues.CreateDatastoreAsync(kind);
        var queue = new JobQueue(store.Datastore, Options, _clock);
        var job = await queue.EnqueueAsync("mash", "{}", null, Cancel);

        for (var attempt = 1; attempt <= Options.MaxAttempts; attempt++)
        {
            Assert.Equal(attempt, (await queue.ClaimAsync($"host:{attempt}:worker-1", Cancel))?.Attempts);
            _clock.Advance(Options.Lease + TimeSpan.FromSeconds(1));
        }

        Assert.Null(await queue.ClaimAsync("host:9:worker-1", Cancel));
        var failed = (await queue.GetAsync(job.Id, Cancel))!;
        Assert.Equal((JobStatus.Failed, 3), (failed.Status, failed.Attempts));
        Assert.Contains("lease ran out", failed.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_released_job_is_queued_again_at_once_without_using_an_attempt(DatastoreKind kind)
    {
        await using var store = await JobQueues.CreateDatastoreAsync(kind);
        var queue = new JobQueue(store.Datastore, Options, _clock);
        var job = await queue.EnqueueAsync("mash", "{}", null, Cancel);

        Assert.True(await queue.ReleaseAsync((await queue.ClaimAsync("w1", Cancel))!, Cancel));
        var again = await queue.ClaimAsync("w2", Cancel);

        Assert.Equal((job.Id, 1), (again?.Id, again?.Attempts));
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task Only_a_queued_job_can_be_cancelled_and_no_worker_takes_it_then(DatastoreKind kind)
    {
        await using var store = await JobQueues.CreateDatastoreAsync(kind);
        var queue = new JobQueue(store.Datastore, Options, _clock);
        var queued = await queue.EnqueueAsync("mash", "{}", null, Cancel);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var running = await queue.EnqueueAsync("mash", "{}", null, Cancel);

        Assert.True(await queue.CancelAsync(queued.Id, Cancel));
        Assert.Equal(running.Id, (await queue.ClaimAsync("w1", Cancel))?.Id);
        Assert.False(await queue.CancelAsync(running.Id, Cancel));
        Assert.False(await queue.CancelAsync(queued.Id, Cancel));
        Assert.False(await queue.CancelAsync("no-such-job", Cancel));

        Assert.Null(await queue.ClaimAsync("w2", Cancel));
        Assert.Equal(JobStatus.Cancelled, (await queue.GetAsync(queued.Id, Cancel))!.Status);
        Assert.Equal(JobStatus.Running, (await queue.GetAsync(running.Id, Cancel))!.Status);
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_failed_job_retried_by_the_admin_runs_again_with_all_its_attempts(DatastoreKind kind)
    {
        await using var store = await JobQueues.CreateDatastoreAsync(kind);
        var queue = new JobQueue(store.Datastore, Options, _clock);
        var job = await queue.EnqueueAsync("mash", "{}", null, Cancel);
        Assert.False(await queue.RetryAsync(job.Id, Cancel));
        await queue.FailAsync((await queue.ClaimAsync("w1", Cancel))!, "the disk was full", retry: false, Cancel);

        Assert.True(await queue.RetryAsync(job.Id, Cancel));
        var retried = (await queue.GetAsync(job.Id, Cancel))!;
        var claimed = await queue.ClaimAsync("w2", Cancel);

        Assert.Equal((JobStatus.Queued, 0, "the disk was full"), (retried.Status, retried.Attempts, retried.Error));
        Assert.Equal((job.Id, 1), (claimed?.Id, claimed?.Attempts));
        Assert.False(await queue.RetryAsync(job.Id, Cancel));
        Assert.False(await queue.RetryAsync("no-such-job", Cancel));
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task Progress_is_stored_with_the_job_and_kept_between_0_and_1(DatastoreKind kind)
    {
        await using var store = await JobQueues.CreateDatastoreAsync(kind);
        var queue = new JobQueue(store.Datastore, Options, _clock);
        var job = await queue.EnqueueAsync("mash", "{}", null, Cancel);
        var claimed = (await queue.ClaimAsync("w1", Cancel))!;

        await queue.HeartbeatAsync(claimed, new JobProgress("analysing B", 0.25), Cancel);
        var quarter = (await queue.GetAsync(job.Id, Cancel))!;
        await queue.HeartbeatAsync(claimed, new JobProgress("rendering", 1.5), Cancel);
        var over = (await queue.GetAsync(job.Id, Cancel))!;

        Assert.Equal(("analysing B", 0.25), (quarter.ProgressStage, quarter.Progress));
        Assert.Equal(("rendering", 1.0), (over.ProgressStage, over.Progress));
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task Jobs_outlive_the_queue_and_datastore_objects_that_made_them(DatastoreKind kind)
    {
        await using var store = await JobQueues.CreateDatastoreAsync(kind);
        var before = new JobQueue(store.Datastore, Options, _clock);
        var waiting = await before.EnqueueAsync("mash", """{"n": 1}""", null, Cancel);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var crashed = await before.EnqueueAsync("mash", """{"n": 2}""", null, Cancel);
        Assert.Equal(waiting.Id, (await before.ClaimAsync("host:1:worker-1", Cancel))?.Id);

        // A restart: nothing of the first process's objects, only the database.
        var after = new JobQueue(Reopen(store), Options, _clock);
        var next = await after.ClaimAsync("host:2:worker-1", Cancel);
        _clock.Advance(Options.Lease + TimeSpan.FromSeconds(1));
        var retaken = await after.ClaimAsync("host:2:worker-2", Cancel);

        Assert.Equal((crashed.Id, """{"n": 2}"""), (next?.Id, next?.Payload));
        Assert.Equal((waiting.Id, 2), (retaken?.Id, retaken?.Attempts));
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task Lists_filter_by_status_and_owner_newest_first_in_pages_no_larger_than_the_cap(DatastoreKind kind)
    {
        await using var store = await JobQueues.CreateDatastoreAsync(kind);
        var queue = new JobQueue(store.Datastore, Options, _clock);
        var ids = new List<string>();
        for (var i = 0; i < JobQueue.MaxPageSize + 5; i++)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(1));
            ids.Add((await queue.EnqueueAsync("mash", "{}", i % 10 == 0 ? "ann" : null, Cancel)).Id);
        }
        await queue.CancelAsync(ids[3], Cancel);
        await queue.CancelAsync(ids[7], Cancel);
        var newestFirst = Enumerable.Reverse(ids).ToList();

        var first = await queue.ListAsync(new JobQuery(Limit: 1000), Cancel);
        var second = await queue.ListAsync(new JobQuery(Before: first.Next, Limit: 1000), Cancel);
        var cancelled = await queue.ListAsync(new JobQuery(Status: JobStatus.Cancelled), Cancel);
        var anns = await queue.ListAsync(new JobQuery(OwnerUserId: "ann", Limit: 3), Cancel);
        var annsNext = await queue.ListAsync(new JobQuery(OwnerUserId: "ann", Before: anns.Next, Limit: 3), Cancel);

        Assert.Equal(newestFirst[..JobQueue.MaxPageSize], first.Jobs.Select(j => j.Id));
        Assert.Equal(newestFirst[JobQueue.MaxPageSize..], second.Jobs.Select(j => j.Id));
        Assert.Null(second.Next);
        Assert.Equal([ids[7], ids[3]], cancelled.Jobs.Select(j => j.Id));
        Assert.Equal([ids[100], ids[90], ids[80]], anns.Jobs.Select(j => j.Id));
        Assert.Equal([ids[70], ids[60], ids[50]], annsNext.Jobs.Select(j => j.Id));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.ListAsync(new JobQuery(Limit: 0), Cancel));
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_payload_that_is_not_json_is_refused_before_anything_is_stored(DatastoreKind kind)
    {
        await using var store = await JobQueues.CreateDatastoreAsync(kind);
        var queue = new JobQueue(store.Datastore, Options, _clock);

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => queue.EnqueueAsync("mash", "{not json", null, Cancel));

        Assert.Contains("not JSON", refused.Message, StringComparison.Ordinal);
        Assert.Empty((await queue.ListAsync(new JobQuery(), Cancel)).Jobs);
    }

    private static Datastore Reopen(TestDatastore store)
    {
        if (store.PostgresConnectionString is { } postgres)
        {
            return new Datastore(postgres, "unused.db", TimeSpan.FromSeconds(10));
        }
        using var connection = store.Datastore.CreateConnection();
        return new Datastore(null, connection.DataSource, TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task Many_jobs_are_read_at_once_past_one_querys_worth_of_ids_and_missing_ids_are_left_out(DatastoreKind kind)
    {
        await using var store = await JobQueues.CreateDatastoreAsync(kind);
        var queue = new JobQueue(store.Datastore, Options, _clock);
        var enqueued = new List<Job>();
        for (var i = 0; i < JobQueue.MaxIdsPerQuery + 2; i++)
        {
            enqueued.Add(await queue.EnqueueAsync("mash", $$"""{"n": {{i}}}""", "user-1", Cancel));
        }
        var running = (await queue.ClaimAsync("host:1:worker-1", Cancel))!;

        var read = await queue.GetManyAsync([.. enqueued.Select(job => job.Id), "no-such-job", enqueued[0].Id], Cancel);

        Assert.Equal(enqueued.Select(job => job.Id).Order(StringComparer.Ordinal), read.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(await queue.GetAsync(running.Id, Cancel), read[running.Id]);
        Assert.Equal(JobStatus.Running, read[running.Id].Status);
        Assert.Equal(await queue.GetAsync(enqueued[^1].Id, Cancel), read[enqueued[^1].Id]);
        Assert.Empty(await queue.GetManyAsync(["no-such-job"], Cancel));
        Assert.Empty(await queue.GetManyAsync([], Cancel));
    }
}
