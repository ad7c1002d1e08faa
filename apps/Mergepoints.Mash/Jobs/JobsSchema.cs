using Mergepoints.Middleware.Data;

namespace Mergepoints.Mash.Jobs;

/// <summary>
/// The job queue's table in the shared datastore, as versioned migrations. Times are BIGINT Unix milliseconds
/// (UTC): the queue adds leases and backoffs to them and compares them in every claim, and integer arithmetic
/// and comparison mean the same on SQLite and PostgreSQL, where ISO-8601 text would need one fixed width and
/// offset kept forever and cannot be added to in SQL on both.
/// </summary>
public static class JobsSchema
{
    /// <summary>The owner name in <c>schema_migrations</c>.</summary>
    public const string Owner = "jobs";

    /// <summary>Every step, oldest first.</summary>
    public static IReadOnlyList<Migration> Migrations { get; } =
    [
        new(1, "create jobs", """
            CREATE TABLE jobs (
                id TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                payload TEXT NOT NULL,
                status TEXT NOT NULL,
                attempts BIGINT NOT NULL DEFAULT 0,
                max_attempts BIGINT NOT NULL,
                run_after BIGINT NOT NULL,
                lease_owner TEXT,
                lease_expires_at BIGINT,
                heartbeat_at BIGINT,
                progress_stage TEXT,
                progress DOUBLE PRECISION NOT NULL DEFAULT 0,
                error TEXT,
                result TEXT,
                owner_user_id TEXT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            );
            CREATE INDEX jobs_by_status ON jobs (status, run_after);
            CREATE INDEX jobs_by_owner ON jobs (owner_user_id, id);
            """),
    ];
}
