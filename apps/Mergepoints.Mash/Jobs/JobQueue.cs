using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Dapper;
using Mergepoints.Middleware.Data;
using Microsoft.Data.Sqlite;

namespace Mergepoints.Mash.Jobs;

/// <summary>
/// The durable job queue in the shared datastore: a job outlives the process that enqueued it and the worker
/// that ran it. Workers claim jobs under a lease (PostgreSQL: <c>FOR UPDATE SKIP LOCKED</c>, so claimers never
/// wait on each other; SQLite: one writer at a time), renew it with heartbeats, and lose it when they stop
/// renewing: the next claim takes the job again and the old worker's writes are refused from then on.
/// </summary>
/// <remarks>
/// Times come from <paramref name="time"/>, so every process that shares a datastore must keep its clock in
/// sync (NTP); a lease is seconds long, skew of that size would hand a live job to a second worker.
/// </remarks>
[SuppressMessage("Naming", "CA1711", Justification = "It is a queue: the name says what it is, not that it derives from Queue<T>.")]
public sealed class JobQueue(Datastore datastore, JobsOptions options, TimeProvider? time = null)
{
    /// <summary>The most jobs one page of <see cref="ListAsync"/> holds, whatever the caller asks.</summary>
    public const int MaxPageSize = 100;

    /// <summary>
    /// The most ids one query of a batched read names: far under SQLite's and PostgreSQL's limits on parameters,
    /// and a statement small enough to plan quickly. A longer list takes several queries.
    /// </summary>
    public const int MaxIdsPerQuery = 500;

    private const string Columns = """
        id AS Id, kind AS Kind, payload AS Payload, status AS Status, attempts AS Attempts, max_attempts AS MaxAttempts,
        run_after AS RunAfter, lease_owner AS LeaseOwner, lease_expires_at AS LeaseExpiresAt, heartbeat_at AS HeartbeatAt,
        progress_stage AS ProgressStage, progress AS Progress, error AS Error, result AS Result, owner_user_id AS OwnerUserId,
        created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    private const string LeaseHeld = "id = @Id AND status = 'running' AND lease_owner = @LeaseOwner";

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly EnqueueSignal _enqueued = new();

    /// <summary>The settings the queue leases and retries by.</summary>
    public JobsOptions Options { get; } = options.Validate();

    /// <summary>Adds a job for a worker to run; it survives restarts from this moment on.</summary>
    /// <param name="kind">Which handler runs it.</param>
    /// <param name="payload">JSON for the handler.</param>
    /// <param name="ownerUserId">The user who asked for it, or null.</param>
    /// <param name="cancellationToken">Stops the insert.</param>
    /// <exception cref="ArgumentException">The kind is empty or the payload is not JSON.</exception>
    public async Task<Job> EnqueueAsync(string kind, string payload, string? ownerUserId, CancellationToken cancellationToken)
    {
        Job job;
        await using (var connection = await datastore.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            job = await EnqueueAsync(connection, transaction: null, kind, payload, ownerUserId, cancellationToken).ConfigureAwait(false);
        }
        WakeWorkers();
        return job;
    }

    /// <summary>
    /// Adds a job inside the caller's transaction, so it exists exactly when the caller's own rows do (a mash and
    /// the job that makes it). The caller calls <see cref="WakeWorkers"/> once it has committed.
    /// </summary>
    /// <exception cref="ArgumentException">The kind is empty or the payload is not JSON.</exception>
    internal async Task<Job> EnqueueAsync(DbConnection connection, DbTransaction? transaction, string kind, string payload, string? ownerUserId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        EnsureJson(payload);
        var now = _time.GetUtcNow();
        var job = new Job
        {
            Id = Guid.CreateVersion7(now).ToString("N"),
            Kind = kind,
            Payload = payload,
            Status = JobStatus.Queued,
            Attempts = 0,
            MaxAttempts = Options.MaxAttempts,
            RunAfter = now,
            OwnerUserId = ownerUserId,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO jobs (id, kind, payload, status, attempts, max_attempts, run_after, owner_user_id, created_at, updated_at)
            VALUES (@Id, @Kind, @Payload, 'queued', 0, @MaxAttempts, @Now, @OwnerUserId, @Now, @Now)
            """,
            new { job.Id, job.Kind, job.Payload, job.MaxAttempts, Now = Millis(now), job.OwnerUserId },
            transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return job;
    }

    /// <summary>Wakes this process's idle workers at once instead of at their next poll: a job was just committed.</summary>
    internal void WakeWorkers() => _enqueued.Set();

    /// <summary>The job with <paramref name="id"/>, or null.</summary>
    public async Task<Job?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await datastore.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<JobRow>(new CommandDefinition(
            $"SELECT {Columns} FROM jobs WHERE id = @id", new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToJob();
    }

    /// <summary>
    /// The jobs among <paramref name="ids"/> that exist, by id, in one query per <see cref="MaxIdsPerQuery"/>
    /// ids: what the mash site's progress feed reads for every watched mash at once.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, Job>> GetManyAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var found = new Dictionary<string, Job>(StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return found;
        }
        await using var connection = await datastore.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var row in await ManyIds.QueryAsync<JobRow>(connection, $"SELECT {Columns} FROM jobs WHERE id", ids, cancellationToken).ConfigureAwait(false))
        {
            found[row.Id] = row.ToJob();
        }
        return found;
    }

    /// <summary>One page of jobs, newest first, filtered as <paramref name="query"/> says.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The limit is less than 1.</exception>
    public async Task<JobPage> ListAsync(JobQuery query, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        var limit = Math.Min(query.Limit, MaxPageSize);
        var conditions = new List<string>();
        if (query.Status is not null)
        {
            conditions.Add("status = @Status");
        }
        if (query.OwnerUserId is not null)
        {
            conditions.Add("owner_user_id = @OwnerUserId");
        }
        if (query.Before is not null)
        {
            conditions.Add("id < @Before");
        }
        var where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
        await using var connection = await datastore.OpenAsync(cancellationToken).ConfigureAwait(false);
        // One row more than the page says whether there is a next page.
        var rows = (await connection.QueryAsync<JobRow>(new CommandDefinition(
            $"SELECT {Columns} FROM jobs {where} ORDER BY id DESC LIMIT @Take",
            new { Status = query.Status is { } status ? StatusText(status) : null, query.OwnerUserId, query.Before, Take = limit + 1 },
            cancellationToken: cancellationToken)).ConfigureAwait(false)).Select(row => row.ToJob()).ToList();
        return rows.Count > limit ? new JobPage(rows[..limit], rows[limit - 1].Id) : new JobPage(rows, null);
    }

    /// <summary>Cancels a job no worker has started yet; false when it is not queued (running, done, or unknown).</summary>
    public async Task<bool> CancelAsync(string id, CancellationToken cancellationToken) => await ExecuteAsync(
        "UPDATE jobs SET status = 'cancelled', updated_at = @Now WHERE id = @Id AND status = 'queued'",
        new { Id = id, Now = Millis(_time.GetUtcNow()) }, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Queues a failed job again with all its attempts; its last error stays until it runs. False when the job
    /// has not failed.
    /// </summary>
    public async Task<bool> RetryAsync(string id, CancellationToken cancellationToken)
    {
        var retried = await ExecuteAsync(
            """
            UPDATE jobs SET status = 'queued', attempts = 0, run_after = @Now, lease_expires_at = NULL, progress = 0, progress_stage = NULL, updated_at = @Now
            WHERE id = @Id AND status = 'failed'
            """,
            new { Id = id, Now = Millis(_time.GetUtcNow()) }, cancellationToken).ConfigureAwait(false);
        if (retried)
        {
            _enqueued.Set();
        }
        return retried;
    }

    /// <summary>
    /// Takes the oldest job that is due (queued past its backoff, or running under a lease that ran out) for
    /// <paramref name="workerId"/>, counting an attempt; null when there is none. A running job out of attempts
    /// whose lease ran out fails here instead of running again.
    /// </summary>
    public async Task<Job?> ClaimAsync(string workerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        var now = Millis(_time.GetUtcNow());
        var postgres = datastore.Kind == DatastoreKind.Postgres;
        await using var connection = await datastore.OpenAsync(cancellationToken).ConfigureAwait(false);
        // SQLite: BEGIN IMMEDIATE takes the one write lock up front, so no other claimer reads between our
        // select and our update (a deferred transaction would fail to upgrade instead of waiting its turn).
        await using DbTransaction transaction = connection is SqliteConnection sqlite
            ? sqlite.BeginTransaction(deferred: false)
            : await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE jobs SET status = 'failed', lease_expires_at = NULL, updated_at = @Now,
                error = 'Its worker stopped answering during the last attempt (the lease ran out); no attempts are left.'
            WHERE status = 'running' AND lease_expires_at < @Now AND attempts >= max_attempts
            """,
            new { Now = now }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<JobRow>(new CommandDefinition(
            $"""
            UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_owner = @Owner, lease_expires_at = @Expires,
                heartbeat_at = @Now, progress = 0, progress_stage = NULL, updated_at = @Now
            WHERE id = (
                SELECT id FROM jobs
                WHERE (status = 'queued' AND run_after <= @Now) OR (status = 'running' AND lease_expires_at < @Now)
                ORDER BY run_after, id
                LIMIT 1 {(postgres ? "FOR UPDATE SKIP LOCKED" : "")})
            RETURNING {Columns}
            """,
            new { Owner = workerId, Now = now, Expires = now + (long)Options.Lease.TotalMilliseconds },
            transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        // Once committing, the claim is made whatever the token says, or a claimed job would go unreturned.
        await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        return row?.ToJob();
    }

    /// <summary>
    /// Renews the lease on a claimed job, storing <paramref name="progress"/> when given. False when the lease is
    /// no longer the worker's: another worker took the job, so this one must stop and write nothing more.
    /// </summary>
    public async Task<bool> HeartbeatAsync(Job claimed, JobProgress? progress, CancellationToken cancellationToken)
    {
        var now = Millis(_time.GetUtcNow());
        var setProgress = progress is null ? "" : ", progress_stage = @Stage, progress = @Fraction";
        return await ExecuteAsync(
            $"UPDATE jobs SET lease_expires_at = @Expires, heartbeat_at = @Now, updated_at = @Now{setProgress} WHERE {LeaseHeld}",
            new
            {
                claimed.Id,
                claimed.LeaseOwner,
                Now = now,
                Expires = now + (long)Options.Lease.TotalMilliseconds,
                progress?.Stage,
                Fraction = progress is null ? 0 : Math.Clamp(double.IsNaN(progress.Fraction) ? 0 : progress.Fraction, 0, 1),
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Marks a claimed job succeeded with its result; false (and nothing written) when the lease was lost.</summary>
    public async Task<bool> CompleteAsync(Job claimed, string? result, CancellationToken cancellationToken) => await ExecuteAsync(
        $"""
        UPDATE jobs SET status = 'succeeded', result = @Result, error = NULL, progress = 1, lease_expires_at = NULL, updated_at = @Now
        WHERE {LeaseHeld}
        """,
        new { claimed.Id, claimed.LeaseOwner, Result = result, Now = Millis(_time.GetUtcNow()) }, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Records a failed attempt of a claimed job: queued again after a backoff while it has attempts left and
    /// <paramref name="retry"/> is true, else failed for good. <paramref name="error"/> is kept either way. False
    /// (and nothing written) when the lease was lost.
    /// </summary>
    public async Task<bool> FailAsync(Job claimed, string error, bool retry, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var again = retry && claimed.Attempts < claimed.MaxAttempts;
        return await ExecuteAsync(
            $"UPDATE jobs SET status = @Status, error = @Error, run_after = @RunAfter, lease_expires_at = NULL, updated_at = @Now WHERE {LeaseHeld}",
            new
            {
                claimed.Id,
                claimed.LeaseOwner,
                Status = StatusText(again ? JobStatus.Queued : JobStatus.Failed),
                Error = error,
                RunAfter = Millis(again ? now + Options.BackoffAfter(claimed.Attempts) : now),
                Now = Millis(now),
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Gives a claimed job back unfinished, as a stopping worker does: queued at once, and the attempt does not
    /// count. False when the lease was lost.
    /// </summary>
    public async Task<bool> ReleaseAsync(Job claimed, CancellationToken cancellationToken)
    {
        var released = await ExecuteAsync(
            $"""
            UPDATE jobs SET status = 'queued', attempts = attempts - 1, run_after = @Now, lease_expires_at = NULL, updated_at = @Now
            WHERE {LeaseHeld}
            """,
            new { claimed.Id, claimed.LeaseOwner, Now = Millis(_time.GetUtcNow()) }, cancellationToken).ConfigureAwait(false);
        if (released)
        {
            _enqueued.Set();
        }
        return released;
    }

    /// <summary>Returns when this queue enqueues a job, or after <paramref name="timeout"/>: an idle worker's wait.</summary>
    internal Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken) => _enqueued.WaitAsync(timeout, cancellationToken);

    private async Task<bool> ExecuteAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await datastore.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
    }

    private static void EnsureJson(string payload)
    {
        try
        {
            using var _ = JsonDocument.Parse(payload);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"The payload is not JSON: {e.Message}", nameof(payload), e);
        }
    }

    private static long Millis(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    private static string StatusText(JobStatus status) => status.ToString().ToLowerInvariant();

    // SQLite hands integers back as long, PostgreSQL BIGINT too; times are Unix milliseconds until here.
    private sealed class JobRow
    {
        public string Id { get; init; } = "";

        public string Kind { get; init; } = "";

        public string Payload { get; init; } = "";

        public string Status { get; init; } = "";

        public long Attempts { get; init; }

        public long MaxAttempts { get; init; }

        public long RunAfter { get; init; }

        public string? LeaseOwner { get; init; }

        public long? LeaseExpiresAt { get; init; }

        public long? HeartbeatAt { get; init; }

        public string? ProgressStage { get; init; }

        public double Progress { get; init; }

        public string? Error { get; init; }

        public string? Result { get; init; }

        public string? OwnerUserId { get; init; }

        public long CreatedAt { get; init; }

        public long UpdatedAt { get; init; }

        public Job ToJob() => new()
        {
            Id = Id,
            Kind = Kind,
            Payload = Payload,
            Status = Enum.Parse<JobStatus>(Status, ignoreCase: true),
            Attempts = (int)Attempts,
            MaxAttempts = (int)MaxAttempts,
            RunAfter = Time(RunAfter),
            LeaseOwner = LeaseOwner,
            LeaseExpiresAt = LeaseExpiresAt is { } expires ? Time(expires) : null,
            HeartbeatAt = HeartbeatAt is { } heartbeat ? Time(heartbeat) : null,
            ProgressStage = ProgressStage,
            Progress = Progress,
            Error = Error,
            Result = Result,
            OwnerUserId = OwnerUserId,
            CreatedAt = Time(CreatedAt),
            UpdatedAt = Time(UpdatedAt),
        };

        private static DateTimeOffset Time(long millis) => DateTimeOffset.FromUnixTimeMilliseconds(millis);
    }
}
