using System.Data.Common;
using Dapper;
using Mergepoints.Mash.Engine.Mashing;
using Mergepoints.Mash.Jobs;
using Mergepoints.Mash.Mashing;
using Mergepoints.Middleware.Data;

namespace Mergepoints.Mash.Library;

/// <summary>The <c>mashups</c> table beside the job queue: asking for a mash, following it, and taking it back.</summary>
/// <remarks>
/// A mash's state is read from its job (joined, not copied), so it is right whichever process runs the job; the
/// owner's name and the songs' titles are joined too, and are null once their rows are gone.
/// </remarks>
public sealed class MashupStore(Datastore datastore, JobQueue jobs, SongStore songs)
{
    private const string Select = """
        SELECT m.id AS Id, m.song_a_id AS SongAId, m.song_b_id AS SongBId, a.title AS SongATitle, b.title AS SongBTitle,
            m.mix AS Mix, m.mode AS Mode, m.unit AS Unit, m.envelope AS Envelope, m.is_public AS IsPublic,
            m.owner_user_id AS OwnerUserId, u.name AS OwnerName, m.job_id AS JobId, j.status AS Status,
            j.progress_stage AS ProgressStage, j.progress AS Progress, j.error AS Error, m.output_song_id AS OutputSongId,
            m.created_at AS CreatedAt
        FROM mashups m
        LEFT JOIN jobs j ON j.id = m.job_id
        LEFT JOIN users u ON u.id = m.owner_user_id
        LEFT JOIN songs a ON a.id = m.song_a_id
        LEFT JOIN songs b ON b.id = m.song_b_id
        """;

    // Done is having an output that is there, whatever became of the job (a worker may die after attaching it).
    private const string Gallery = "INNER JOIN songs o ON o.id = m.output_song_id WHERE m.is_public = 1 AND m.output_song_id IS NOT NULL";

    /// <summary>
    /// Records the mash and enqueues its job. Throws <see cref="KeyNotFoundException"/> naming a song that does not
    /// exist and <see cref="ArgumentException"/> for options no mash can honour.
    /// </summary>
    public async Task<Mashup> SubmitAsync(string songAId, string songBId, MashOptions options, bool isPublic, string ownerUserId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(ownerUserId);
        options.Validate();
        foreach (var (which, id) in new[] { ("A", songAId), ("B", songBId) })
        {
            if (await songs.GetAsync(id, cancellationToken).ConfigureAwait(false) is null)
            {
                throw new KeyNotFoundException($"Song {which} ({id}) is not in the library.");
            }
        }
        var now = StoredTime.Now();
        var mashupId = Guid.CreateVersion7(now).ToString("N");
        // The job and the mash in one transaction: a crash leaves both or neither, never a mash that waits forever.
        await using (var connection = await datastore.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var job = await jobs.EnqueueAsync(connection, transaction, MashJob.Kind, MashJob.Payload(mashupId), ownerUserId, cancellationToken).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO mashups (id, song_a_id, song_b_id, mix, mode, unit, envelope, is_public, owner_user_id, job_id, created_at)
                VALUES (@mashupId, @songAId, @songBId, @Mix, @Mode, @Unit, @Envelope, @IsPublic, @ownerUserId, @jobId, @CreatedAt)
                """,
                new
                {
                    mashupId,
                    songAId,
                    songBId,
                    options.Mix,
                    Mode = options.Mode.ToString().ToLowerInvariant(),
                    Unit = options.Unit.ToString().ToLowerInvariant(),
                    Envelope = options.Envelope ? 1 : 0,
                    IsPublic = isPublic ? 1 : 0,
                    ownerUserId,
                    jobId = job.Id,
                    CreatedAt = now.ToUnixTimeMilliseconds(),
                },
                transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        jobs.WakeWorkers();
        return await GetAsync(mashupId, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"The mash {mashupId} was deleted as soon as it was made.");
    }

    /// <summary>The mash with its job's state, or null.</summary>
    public async Task<Mashup?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await datastore.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<MashupRow>(new CommandDefinition(
            $"{Select} WHERE m.id = @id", new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToMashup();
    }

    /// <summary>
    /// The mashes among <paramref name="ids"/> that exist, by id, in one query per <see cref="JobQueue.MaxIdsPerQuery"/>
    /// ids: what the mash site's progress feed reads for every watched mash at once.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, Mashup>> GetManyAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var found = new Dictionary<string, Mashup>(StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return found;
        }
        await using var connection = await datastore.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var row in await ManyIds.QueryAsync<MashupRow>(connection, $"{Select} WHERE m.id", ids, cancellationToken).ConfigureAwait(false))
        {
            found[row.Id] = row.ToMashup();
        }
        return found;
    }

    /// <summary>One user's mashes, newest first, whatever their state.</summary>
    public Task<Paged<Mashup>> ListByOwnerAsync(string ownerUserId, int page, int pageSize, CancellationToken cancellationToken) =>
        ListAsync("WHERE m.owner_user_id = @ownerUserId", new { ownerUserId }, page, pageSize, cancellationToken);

    /// <summary>The gallery: public mashes that are done (their output song there), newest first.</summary>
    public Task<Paged<Mashup>> ListGalleryAsync(int page, int pageSize, CancellationToken cancellationToken) =>
        ListAsync(Gallery, new { }, page, pageSize, cancellationToken);

    /// <summary>Cancels its job if still queued, deletes its output song (and blob) and the mash; false when there was none.</summary>
    /// <remarks>
    /// The row goes first, in one statement that also reads what it held: a worker finishing the mash meanwhile
    /// then finds no row to attach its output to and discards it, so no output song is left behind either way.
    /// One window stays open, on purpose: a worker that committed the output song just before this delete, and has
    /// not yet renamed its file into place, renames it after this delete removed the song and found no file to
    /// release. That file belongs to no song and waits for the retention's hourly sweep of blobs no song holds:
    /// some disk for an hour, where closing the window would take a lock between deletes and workers.
    /// </remarks>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        DeletedRow? row;
        await using (var connection = await datastore.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            row = await connection.QuerySingleOrDefaultAsync<DeletedRow>(new CommandDefinition(
                "DELETE FROM mashups WHERE id = @id RETURNING job_id AS JobId, output_song_id AS OutputSongId",
                new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        if (row is null)
        {
            return false;
        }
        if (row.JobId is not null)
        {
            await jobs.CancelAsync(row.JobId, CancellationToken.None).ConfigureAwait(false);
        }
        if (row.OutputSongId is not null)
        {
            await songs.DeleteAsync(row.OutputSongId, CancellationToken.None).ConfigureAwait(false);
        }
        return true;
    }

    /// <summary>
    /// For the job that made the mash: sets its output song, inside the transaction that adds the song, unless
    /// the mash is gone or already has one (another worker finished first). False then, and the song is not added.
    /// </summary>
    internal static Func<DbConnection, DbTransaction, Task<bool>> AttachOutput(string mashupId, string songId, CancellationToken cancellationToken) =>
        async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE mashups SET output_song_id = @songId WHERE id = @mashupId AND output_song_id IS NULL",
            new { songId, mashupId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;

    /// <summary>
    /// For the job that makes the mash again because its output has no file (a crash between the output's row and
    /// its file): forgets <paramref name="songId"/> as its output, unless the mash has another by now.
    /// </summary>
    internal Task DetachOutputAsync(string mashupId, string songId, CancellationToken cancellationToken) => ExecuteAsync(
        "UPDATE mashups SET output_song_id = NULL WHERE id = @mashupId AND output_song_id = @songId", new { mashupId, songId }, cancellationToken);

    /// <summary>The ids of mashes asked for before <paramref name="cutoff"/>, oldest first, at most <paramref name="limit"/>.</summary>
    internal Task<IReadOnlyList<string>> IdsOlderThanAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken) =>
        AgedRows.IdsOlderThanAsync(datastore, "mashups", cutoff, limit, cancellationToken);

    /// <summary>One page of the mashes <paramref name="filter"/> (joins, then a <c>WHERE</c>, over <c>mashups m</c>) keeps.</summary>
    private async Task<Paged<Mashup>> ListAsync(string filter, object parameters, int page, int pageSize, CancellationToken cancellationToken)
    {
        var (number, size, skip) = Paging.Of(page, pageSize);
        var arguments = new DynamicParameters(parameters);
        arguments.AddDynamicParams(new { size, skip });
        await using var connection = await datastore.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<MashupRow>(new CommandDefinition(
            $"{Select} {filter} ORDER BY m.created_at DESC, m.id DESC LIMIT @size OFFSET @skip", arguments, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM mashups m {filter}", arguments, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return new Paged<Mashup>([.. rows.Select(row => row.ToMashup())], number, size, total);
    }

    private async Task ExecuteAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await datastore.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    private sealed class DeletedRow
    {
        public string? JobId { get; init; }

        public string? OutputSongId { get; init; }
    }

    // Booleans are 0/1, times Unix milliseconds, mode, unit and status their lowercase names until here.
    private sealed class MashupRow
    {
        public string Id { get; init; } = "";

        public string SongAId { get; init; } = "";

        public string SongBId { get; init; } = "";

        public string? SongATitle { get; init; }

        public string? SongBTitle { get; init; }

        public double Mix { get; init; }

        public string Mode { get; init; } = "";

        public string Unit { get; init; } = "";

        public long Envelope { get; init; }

        public long IsPublic { get; init; }

        public string OwnerUserId { get; init; } = "";

        public string? OwnerName { get; init; }

        public string? JobId { get; init; }

        public string? Status { get; init; }

        public string? ProgressStage { get; init; }

        public double? Progress { get; init; }

        public string? Error { get; init; }

        public string? OutputSongId { get; init; }

        public long CreatedAt { get; init; }

        public Mashup ToMashup()
        {
            // The output attached is the mash done, even when its worker died before it could tell the queue (the
            // job then fails once its lease runs out) or the job was retried by hand since.
            var done = OutputSongId is not null;
            var status = done ? JobStatus.Succeeded : Status is null ? JobStatus.Queued : Enum.Parse<JobStatus>(Status, ignoreCase: true);
            return new()
            {
                Id = Id,
                SongAId = SongAId,
                SongBId = SongBId,
                SongATitle = SongATitle,
                SongBTitle = SongBTitle,
                Options = new MashOptions
                {
                    Mix = Mix,
                    Mode = Enum.Parse<MashMode>(Mode, ignoreCase: true),
                    Unit = Enum.Parse<MashUnit>(Unit, ignoreCase: true),
                    Envelope = Envelope != 0,
                },
                IsPublic = IsPublic != 0,
                OwnerUserId = OwnerUserId,
                OwnerName = OwnerName,
                JobId = JobId,
                Status = status,
                ProgressStage = ProgressStage,
                Progress = done ? 1 : Progress ?? 0,
                // A failed attempt's error stays on a job that waits for its retry; the mash has not failed yet.
                Error = status == JobStatus.Failed ? Error : null,
                OutputSongId = OutputSongId,
                CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt),
            };
        }
    }
}
