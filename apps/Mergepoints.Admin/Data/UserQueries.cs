using System.Globalization;
using Dapper;
using Mergepoints.Mash.Library;
using Mergepoints.Middleware.Data;

namespace Mergepoints.Admin.Data;

/// <summary>The users as the admin sees them: searched by name, a page at a time, with what each has in the library.</summary>
/// <remarks>Changes to users go through <c>UserStore</c>, which keeps the accounts' rules; this only reads.</remarks>
internal sealed class UserQueries(Datastore datastore)
{
    private const string Select = """
        SELECT u.id AS Id, u.name AS Name, u.is_admin AS IsAdmin, u.is_locked AS IsLocked, u.created_at AS CreatedAt,
            (SELECT COUNT(*) FROM songs s WHERE s.owner_user_id = u.id) AS Songs,
            (SELECT COUNT(*) FROM mashups m WHERE m.owner_user_id = u.id) AS Mashes
        FROM users u
        """;

    /// <summary>Users whose name contains <paramref name="search"/> (any case; all when null), by name.</summary>
    public async Task<Paged<UserSummary>> ListAsync(string? search, ListPage page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        // Names are compared by their key, the upper-case form UserStore keeps unique.
        var where = search is null ? "" : "WHERE u.name_key LIKE @pattern ESCAPE '\\'";
        var parameters = new { pattern = search is null ? null : LikePattern.Containing(search.ToUpperInvariant()), page.Size, page.Skip };
        await using var connection = await datastore.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<UserRow>(new CommandDefinition(
            $"{Select} {where} ORDER BY u.name_key LIMIT @Size OFFSET @Skip", parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM users u {where}", parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return new Paged<UserSummary>([.. rows.Select(row => row.ToSummary())], page.Number, page.Size, total);
    }

    /// <summary>The user, or null.</summary>
    public async Task<UserSummary?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await datastore.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            $"{Select} WHERE u.id = @id", new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToSummary();
    }

    /// <summary>What deleting the user would take away.</summary>
    public async Task<UserFootprint> FootprintAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await datastore.OpenAsync(cancellationToken).ConfigureAwait(false);
        var mashes = (await connection.QueryAsync<MashState>(new CommandDefinition(
            """
            SELECT m.id AS Id, m.output_song_id AS OutputSongId, COALESCE(j.status, 'queued') AS Status
            FROM mashups m LEFT JOIN jobs j ON j.id = m.job_id
            WHERE m.owner_user_id = @id ORDER BY m.created_at, m.id
            """,
            new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
        var songs = await connection.QueryAsync<string>(new CommandDefinition(
            """
            SELECT s.id FROM songs s
            WHERE s.owner_user_id = @id
                AND NOT EXISTS (SELECT 1 FROM mashups m WHERE m.owner_user_id = @id AND m.output_song_id = s.id)
            ORDER BY s.created_at, s.id
            """,
            new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var others = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            SELECT COUNT(*) FROM mashups m
            WHERE m.owner_user_id <> @id
                AND (m.song_a_id IN (SELECT s.id FROM songs s WHERE s.owner_user_id = @id)
                    OR m.song_b_id IN (SELECT s.id FROM songs s WHERE s.owner_user_id = @id))
            """,
            new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return new UserFootprint(
            [.. mashes.Select(m => m.Id)],
            mashes.Count(m => m.OutputSongId is not null),
            mashes.Count(m => m.Status is "queued" or "running"),
            [.. songs],
            others);
    }

    private sealed class MashState
    {
        public string Id { get; init; } = "";

        public string? OutputSongId { get; init; }

        public string Status { get; init; } = "";
    }

    // SQLite hands integers back as long, PostgreSQL as int; the accounts keep created_at as ISO 8601 text.
    private sealed class UserRow
    {
        public string Id { get; init; } = "";

        public string Name { get; init; } = "";

        public long IsAdmin { get; init; }

        public long IsLocked { get; init; }

        public string CreatedAt { get; init; } = "";

        public long Songs { get; init; }

        public long Mashes { get; init; }

        public UserSummary ToSummary() => new(
            Id, Name, IsAdmin != 0, IsLocked != 0, DateTimeOffset.Parse(CreatedAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind), Songs, Mashes);
    }
}
