using Dapper;
using Mergepoints.Mash.Jobs;
using Mergepoints.Mash.Library;
using Mergepoints.Middleware.Data;

namespace Mergepoints.Admin.Data;

/// <summary>The <c>mashups</c> table with each mash's job, filtered by status or owner, a page at a time.</summary>
/// <remarks>Deleting a mash is the library's (<see cref="MashupStore.DeleteAsync"/>): output, blob and queued job go with it.</remarks>
internal sealed class MashQueries(Datastore datastore)
{
    private const string Select = """
        SELECT m.id AS Id, m.song_a_id AS SongAId, a.title AS SongATitle, m.song_b_id AS SongBId, b.title AS SongBTitle,
            m.mode AS Mode, m.mix AS Mix, m.is_public AS IsPublic, m.owner_user_id AS OwnerUserId, u.name AS OwnerName,
            m.job_id AS JobId, COALESCE(j.status, 'queued') AS Status, COALESCE(j.attempts, 0) AS Attempts, j.error AS Error,
            m.output_song_id AS OutputSongId, m.created_at AS CreatedAt
        FROM mashups m
        LEFT JOIN jobs j ON j.id = m.job_id
        LEFT JOIN users u ON u.id = m.owner_user_id
        LEFT JOIN songs a ON a.id = m.song_a_id
        LEFT JOIN songs b ON b.id = m.song_b_id
        """;

    /// <summary>Mashes in <paramref name="status"/> (all when null) of <paramref name="ownerUserId"/> (everyone's when null), newest first.</summary>
    public async Task<Paged<MashSummary>> ListAsync(JobStatus? status, string? ownerUserId, ListPage page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var conditions = new List<string>();
        if (status is not null)
        {
            conditions.Add("COALESCE(j.status, 'queued') = @status");
        }
        if (ownerUserId is not null)
        {
            conditions.Add("m.owner_user_id = @ownerUserId");
        }
        var where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
        var parameters = new { status = status?.ToString().ToLowerInvariant(), ownerUserId, page.Size, page.Skip };
        await using var connection = await datastore.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<MashRow>(new CommandDefinition(
            $"{Select} {where} ORDER BY m.created_at DESC, m.id DESC LIMIT @Size OFFSET @Skip", parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM mashups m LEFT JOIN jobs j ON j.id = m.job_id {where}", parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return new Paged<MashSummary>([.. rows.Select(row => row.ToSummary())], page.Number, page.Size, total);
    }

    /// <summary>The mash, or null.</summary>
    public async Task<MashSummary?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await datastore.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<MashRow>(new CommandDefinition(
            $"{Select} WHERE m.id = @id", new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToSummary();
    }

    // Booleans are 0/1, times Unix milliseconds, the status its lowercase name until here.
    private sealed class MashRow
    {
        public string Id { get; init; } = "";

        public string SongAId { get; init; } = "";

        public string? SongATitle { get; init; }

        public string SongBId { get; init; } = "";

        public string? SongBTitle { get; init; }

        public string Mode { get; init; } = "";

        public double Mix { get; init; }

        public long IsPublic { get; init; }

        public string OwnerUserId { get; init; } = "";

        public string? OwnerName { get; init; }

        public string? JobId { get; init; }

        public string Status { get; init; } = "";

        public long Attempts { get; init; }

        public string? Error { get; init; }

        public string? OutputSongId { get; init; }

        public long CreatedAt { get; init; }

        public MashSummary ToSummary() => new(
            Id, SongAId, SongATitle, SongBId, SongBTitle, Mode, Mix, IsPublic != 0, OwnerUserId, OwnerName, JobId,
            Enum.Parse<JobStatus>(Status, ignoreCase: true), (int)Attempts, Error, OutputSongId, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt));
    }
}
