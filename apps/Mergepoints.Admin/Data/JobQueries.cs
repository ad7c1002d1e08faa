using Dapper;
using Mergepoints.Mash.Jobs;
using Mergepoints.Mash.Library;
using Mergepoints.Middleware.Data;

namespace Mergepoints.Admin.Data;

/// <summary>
/// The <c>jobs</c> table as the admin pages it (by page number, where the queue's own list goes by "older than"),
/// filtered by status and kind. Retrying and cancelling are the queue's (<see cref="JobQueue.RetryAsync"/>,
/// <see cref="JobQueue.CancelAsync"/>), which know which jobs may be.
/// </summary>
internal sealed class JobQueries(Datastore datastore)
{
    private const string Select = """
        SELECT j.id AS Id, j.kind AS Kind, j.status AS Status, j.attempts AS Attempts, j.max_attempts AS MaxAttempts,
            j.run_after AS RunAfter, j.lease_owner AS LeaseOwner, j.progress_stage AS ProgressStage, j.progress AS Progress,
            j.error AS Error, j.payload AS Payload, j.result AS Result, j.owner_user_id AS OwnerUserId, u.name AS OwnerName,
            (SELECT MIN(m.id) FROM mashups m WHERE m.job_id = j.id) AS MashId, j.created_at AS CreatedAt, j.updated_at AS UpdatedAt
        FROM jobs j
        LEFT JOIN users u ON u.id = j.owner_user_id
        """;

    /// <summary>Jobs in <paramref name="status"/> of <paramref name="kind"/> (all when null), newest first.</summary>
    public async Task<Paged<JobSummary>> ListAsync(JobStatus? status, string? kind, ListPage page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var conditions = new List<string>();
        if (status is not null)
        {
            conditions.Add("j.status = @status");
        }
        if (kind is not null)
        {
            conditions.Add("j.kind = @kind");
        }
        var where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
        var parameters = new { status = status?.ToString().ToLowerInvariant(), kind, page.Size, page.Skip };
        await using var connection = await datastore.OpenAsync(cancellationToken).ConfigureAwait(false);
        // Job ids are version 7 GUIDs: by id is by age.
        var rows = await connection.QueryAsync<JobRow>(new CommandDefinition(
            $"{Select} {where} ORDER BY j.id DESC LIMIT @Size OFFSET @Skip", parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM jobs j {where}", parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return new Paged<JobSummary>([.. rows.Select(row => row.ToSummary())], page.Number, page.Size, total);
    }

    /// <summary>The job, or null.</summary>
    public async Task<JobSummary?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await datastore.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<JobRow>(new CommandDefinition(
            $"{Select} WHERE j.id = @id", new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToSummary();
    }

    /// <summary>The kinds of job there are, for the filter.</summary>
    public async Task<IReadOnlyList<string>> KindsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await datastore.OpenAsync(cancellationToken).ConfigureAwait(false);
        return [.. await connection.QueryAsync<string>(new CommandDefinition("SELECT DISTINCT kind FROM jobs ORDER BY kind", cancellationToken: cancellationToken)).ConfigureAwait(false)];
    }

    // Times are Unix milliseconds and the status its lowercase name until here.
    private sealed class JobRow
    {
        public string Id { get; init; } = "";

        public string Kind { get; init; } = "";

        public string Status { get; init; } = "";

        public long Attempts { get; init; }

        public long MaxAttempts { get; init; }

        public long RunAfter { get; init; }

        public string? LeaseOwner { get; init; }

        public string? ProgressStage { get; init; }

        public double Progress { get; init; }

        public string? Error { get; init; }

        public string Payload { get; init; } = "";

        public string? Result { get; init; }

        public string? OwnerUserId { get; init; }

        public string? OwnerName { get; init; }

        public string? MashId { get; init; }

        public long CreatedAt { get; init; }

        public long UpdatedAt { get; init; }

        public JobSummary ToSummary() => new(
            Id, Kind, Enum.Parse<JobStatus>(Status, ignoreCase: true), (int)Attempts, (int)MaxAttempts, Time(RunAfter), LeaseOwner, ProgressStage, Progress,
            Error, Payload, Result, OwnerUserId, OwnerName, MashId, Time(CreatedAt), Time(UpdatedAt));

        private static DateTimeOffset Time(long millis) => DateTimeOffset.FromUnixTimeMilliseconds(millis);
    }
}
