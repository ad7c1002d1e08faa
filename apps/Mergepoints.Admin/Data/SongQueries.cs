using Dapper;
using Mergepoints.Mash.Library;
using Mergepoints.Middleware.Data;

namespace Mergepoints.Admin.Data;

/// <summary>
/// The <c>songs</c> table as the admin sees it: searched, sorted, a page at a time; renamed and its count reset
/// with SQL of the admin's own, each in one transaction with its audit entry. Deleting a song is the library's
/// (<see cref="SongStore.DeleteAsync"/>), which knows when the blob may go.
/// </summary>
internal sealed class SongQueries(Datastore datastore)
{
    private const string Select = """
        SELECT s.id AS Id, s.title AS Title, s.origin AS Origin, s.owner_user_id AS OwnerUserId, u.name AS OwnerName,
            s.play_count AS PlayCount, s.duration_seconds AS DurationSeconds, s.blob_hash AS BlobHash, s.created_at AS CreatedAt,
            (SELECT COUNT(*) FROM mashups m WHERE m.song_a_id = s.id OR m.song_b_id = s.id) AS UsedBy,
            (SELECT MIN(o.id) FROM mashups o WHERE o.output_song_id = s.id) AS OutputOf
        FROM songs s
        LEFT JOIN users u ON u.id = s.owner_user_id
        """;

    /// <summary>One page of the songs <paramref name="filter"/> lets through.</summary>
    public async Task<Paged<SongSummary>> ListAsync(SongFilter filter, ListPage page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(page);
        var conditions = new List<string>();
        if (filter.Search is not null)
        {
            // LOWER on both sides: SQLite's LIKE ignores only ASCII case, PostgreSQL's none at all.
            conditions.Add("LOWER(s.title) LIKE @pattern ESCAPE '\\'");
        }
        if (filter.OwnerUserId is not null)
        {
            conditions.Add("s.owner_user_id = @OwnerUserId");
        }
        var where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
        var order = filter.Sort == SongSort.Plays ? "s.play_count DESC, s.created_at DESC, s.id DESC" : "s.created_at DESC, s.id DESC";
        var parameters = new
        {
            pattern = filter.Search is null ? null : LikePattern.Containing(filter.Search.ToLowerInvariant()),
            filter.OwnerUserId,
            page.Size,
            page.Skip,
        };
        await using var connection = await datastore.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<SongRow>(new CommandDefinition(
            $"{Select} {where} ORDER BY {order} LIMIT @Size OFFSET @Skip", parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM songs s {where}", parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return new Paged<SongSummary>([.. rows.Select(row => row.ToSummary())], page.Number, page.Size, total);
    }

    /// <summary>The song, or null.</summary>
    public async Task<SongSummary?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await datastore.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<SongRow>(new CommandDefinition(
            $"{Select} WHERE s.id = @id", new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToSummary();
    }

    /// <summary>
    /// The most played songs: the database's plays plus <paramref name="live"/> (the counter's, not yet written
    /// into the database), at most <paramref name="count"/>, most played first; a song never played is not a top song.
    /// </summary>
    /// <remarks>
    /// A song in the true top either has live plays (and is asked for by id) or is in the database's own top
    /// <paramref name="count"/> (its total is its database count, which then beats all but fewer than
    /// <paramref name="count"/> others): these two sets hold every song that can make the list.
    /// </remarks>
    public async Task<IReadOnlyList<(SongSummary Song, long Plays)>> TopAsync(int count, IReadOnlyDictionary<string, long> live, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(live);
        // Bounded: a query of a few hundred ids, whatever the counter holds.
        var liveIds = live.Where(song => song.Value > 0).OrderByDescending(song => song.Value).Take(MaxLiveIds).Select(song => song.Key).ToList();
        await using var connection = await datastore.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = (await connection.QueryAsync<SongRow>(new CommandDefinition(
            $"{Select} ORDER BY s.play_count DESC, s.id LIMIT @count", new { count }, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
        if (liveIds.Count > 0)
        {
            // One parameter per id, named here: Dapper would hand Npgsql the list as one array, which IN does not take.
            var ids = new DynamicParameters();
            for (var i = 0; i < liveIds.Count; i++)
            {
                ids.Add($"id{i}", liveIds[i]);
            }
            var names = string.Join(", ", Enumerable.Range(0, liveIds.Count).Select(i => $"@id{i}"));
            rows.AddRange(await connection.QueryAsync<SongRow>(new CommandDefinition(
                $"{Select} WHERE s.id IN ({names})", ids, cancellationToken: cancellationToken)).ConfigureAwait(false));
        }
        return [.. rows
            .DistinctBy(row => row.Id)
            .Select(row => (Song: row.ToSummary(), Plays: row.PlayCount + live.GetValueOrDefault(row.Id)))
            .Where(top => top.Plays > 0)
            .OrderByDescending(top => top.Plays)
            .ThenBy(top => top.Song.Id, StringComparer.Ordinal)
            .Take(count)];
    }

    /// <summary>Gives the song a new title and writes the audit entry with it; false when there is no such song.</summary>
    public async Task<bool> RenameAsync(string id, string title, Actor actor, CancellationToken cancellationToken)
    {
        await using var connection = await datastore.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await WriteTransaction.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
        var before = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            $"SELECT title FROM songs WHERE id = @id{WriteTransaction.LockRows(datastore)}", new { id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (before is null)
        {
            return false;
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE songs SET title = @title WHERE id = @id", new { id, title }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await AuditLog.WriteAsync(connection, transaction, AuditEntry.Of(actor, AuditActions.RenameSong, "song", id, new { title = before }, new { title }), cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Sets the song's plays in the database to 0 and writes the audit entry with it, saying also how many plays
    /// the counter held (<paramref name="livePlays"/>, which the caller has just taken off the counter); false
    /// when there is no such song.
    /// </summary>
    public async Task<bool> ResetPlayCountAsync(string id, long livePlays, Actor actor, CancellationToken cancellationToken)
    {
        await using var connection = await datastore.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await WriteTransaction.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
        var before = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            $"SELECT play_count FROM songs WHERE id = @id{WriteTransaction.LockRows(datastore)}", new { id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (before is null)
        {
            return false;
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE songs SET play_count = 0 WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await AuditLog.WriteAsync(
            connection,
            transaction,
            AuditEntry.Of(actor, AuditActions.ResetCount, "song", id, new { playCount = before, counterPlays = livePlays }, new { playCount = 0, counterPlays = 0 }),
            cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private const int MaxLiveIds = 500;

    // Times are Unix milliseconds and the origin its lowercase name until here.
    private sealed class SongRow
    {
        public string Id { get; init; } = "";

        public string Title { get; init; } = "";

        public string Origin { get; init; } = "";

        public string? OwnerUserId { get; init; }

        public string? OwnerName { get; init; }

        public long PlayCount { get; init; }

        public double? DurationSeconds { get; init; }

        public string BlobHash { get; init; } = "";

        public long CreatedAt { get; init; }

        public long UsedBy { get; init; }

        public string? OutputOf { get; init; }

        public SongSummary ToSummary() => new(
            Id, Title, Enum.Parse<SongOrigin>(Origin, ignoreCase: true), OwnerUserId, OwnerName, PlayCount, DurationSeconds, BlobHash,
            DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), UsedBy, OutputOf);
    }
}
