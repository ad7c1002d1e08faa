using System.Data.Common;
using Dapper;
using Mergepoints.Middleware.Data;

namespace Mergepoints.Mash.Library;

/// <summary>The <c>songs</c> table: the library's songs and the play counts the counter folds into it.</summary>
/// <remarks>
/// A song's row is committed before its blob is renamed into place, and a blob is taken away only when no row
/// holds its hash (asked again once it is out of sight: <see cref="BlobStore.DeleteAsync"/>). That order keeps
/// the same bytes added by one request and deleted by another from losing the file under the newcomer's row.
/// </remarks>
public sealed class SongStore(Datastore datastore, BlobStore blobs)
{
    private const string Columns = """
        id AS Id, title AS Title, blob_hash AS BlobHash, content_type AS ContentType, bytes AS Bytes,
        duration_seconds AS DurationSeconds, origin AS Origin, owner_user_id AS OwnerUserId, play_count AS PlayCount,
        created_at AS CreatedAt
        """;

    // The mashes, not public, whose output is the song s.
    private const string UnlistedOutput = "SELECT 1 FROM mashups m WHERE m.output_song_id = s.id AND m.is_public = 0";

    /// <summary>The song, or null.</summary>
    public async Task<Song?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await datastore.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<SongRow>(new CommandDefinition(
            $"SELECT {Columns} FROM songs WHERE id = @id", new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToSong();
    }

    /// <summary>Songs newest first; <paramref name="pageSize"/> is capped at 100.</summary>
    public async Task<Paged<Song>> ListAsync(int page, int pageSize, CancellationToken cancellationToken)
    {
        var (number, size, skip) = Paging.Of(page, pageSize);
        await using var connection = await datastore.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<SongRow>(new CommandDefinition(
            $"SELECT {Columns} FROM songs ORDER BY created_at DESC, id DESC LIMIT @size OFFSET @skip",
            new { size, skip }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var total = await CountAsync(connection, cancellationToken).ConfigureAwait(false);
        return new Paged<Song>([.. rows.Select(row => row.ToSong())], number, size, total);
    }

    /// <summary>
    /// Songs newest first as <paramref name="viewerUserId"/> (null: nobody signed in) may see them listed: all but
    /// the outputs of mashes that are not public, which only their owner sees in a list (anyone with the address
    /// may still listen). <paramref name="pageSize"/> is capped at 100.
    /// </summary>
    public async Task<Paged<Song>> ListVisibleAsync(string? viewerUserId, int page, int pageSize, CancellationToken cancellationToken)
    {
        var (number, size, skip) = Paging.Of(page, pageSize);
        // No user has the empty id, so for nobody every unlisted output is someone else's.
        var viewer = viewerUserId ?? "";
        var visible = $"NOT EXISTS ({UnlistedOutput} AND m.owner_user_id <> @viewer)";
        await using var connection = await datastore.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<SongRow>(new CommandDefinition(
            $"SELECT {Columns} FROM songs s WHERE {visible} ORDER BY created_at DESC, id DESC LIMIT @size OFFSET @skip",
            new { viewer, size, skip }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM songs s WHERE {visible}", new { viewer }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return new Paged<Song>([.. rows.Select(row => row.ToSong())], number, size, total);
    }

    /// <summary>Whether the song is the output of a mash that is not public: its audio must not sit in shared caches.</summary>
    public async Task<bool> IsUnlistedAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await datastore.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM songs s WHERE s.id = @id AND EXISTS ({UnlistedOutput})", new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false) > 0;
    }

    /// <summary>How many songs there are (the home page offers the demo songs when there are none).</summary>
    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await datastore.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await CountAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the song, and its blob when no other song holds the same bytes; false when there was none.</summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        string? hash;
        await using (var connection = await datastore.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            hash = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
                "DELETE FROM songs WHERE id = @id RETURNING blob_hash", new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        if (hash is null)
        {
            return false;
        }
        await ReleaseBlobAsync(hash, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>A new song id: a version 7 GUID as 32 hex digits, so ids sort by creation.</summary>
    internal static string NewId(DateTimeOffset now) => Guid.CreateVersion7(now).ToString("N");

    /// <summary>
    /// Adds <paramref name="song"/> (unless a song with its id is there already: the demo songs' ids come from
    /// their bytes) and commits <paramref name="blob"/> as its file. <paramref name="alongside"/> runs in the same
    /// transaction after the insert; when it answers false nothing is added and the blob is left to its disposal.
    /// Returns whether the song is in the table now.
    /// </summary>
    internal async Task<bool> AddAsync(Song song, StagedBlob blob, Func<DbConnection, DbTransaction, Task<bool>>? alongside, CancellationToken cancellationToken)
    {
        if (blob.Hash != song.BlobHash || blob.Length != song.Bytes)
        {
            throw new ArgumentException("The song's hash and size are its sealed blob's.", nameof(song));
        }
        bool inserted;
        await using (var connection = await datastore.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            inserted = await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO songs (id, play_count, title, blob_hash, content_type, bytes, duration_seconds, origin, owner_user_id, created_at)
                VALUES (@Id, 0, @Title, @BlobHash, @ContentType, @Bytes, @DurationSeconds, @Origin, @OwnerUserId, @CreatedAt)
                ON CONFLICT (id) DO NOTHING
                """,
                new
                {
                    song.Id,
                    song.Title,
                    song.BlobHash,
                    song.ContentType,
                    song.Bytes,
                    song.DurationSeconds,
                    Origin = OriginText(song.Origin),
                    song.OwnerUserId,
                    CreatedAt = song.CreatedAt.ToUnixTimeMilliseconds(),
                },
                transaction, cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
            if (alongside is not null && !await alongside(connection, transaction).ConfigureAwait(false))
            {
                await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                return false;
            }
            // From the commit on, nothing may be cancelled until the file is in place: a cancel during the commit's
            // round trip could leave the row committed and the staged file deleted, a row with no file behind it.
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        try
        {
            // Also when the id was there already: a racing twin's commit may not have happened yet, and the
            // same bytes under the same name change nothing.
            blobs.Commit(blob);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only a row this call inserted: when the id was there already, the row is another caller's.
            if (inserted)
            {
                await DeleteAsync(song.Id, CancellationToken.None).ConfigureAwait(false);
            }
            throw;
        }
        return true;
    }

    /// <summary>The song <paramref name="ownerUserId"/> uploaded with the bytes <paramref name="hash"/> before, if any.</summary>
    internal async Task<Song?> FindUploadAsync(string ownerUserId, string hash, CancellationToken cancellationToken)
    {
        await using var connection = await datastore.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QueryFirstOrDefaultAsync<SongRow>(new CommandDefinition(
            $"SELECT {Columns} FROM songs WHERE owner_user_id = @ownerUserId AND blob_hash = @hash AND origin = @origin ORDER BY created_at, id LIMIT 1",
            new { ownerUserId, hash, origin = OriginText(SongOrigin.Upload) }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToSong();
    }

    /// <summary>The ids of songs added before <paramref name="cutoff"/>, oldest first, at most <paramref name="limit"/>.</summary>
    internal Task<IReadOnlyList<string>> IdsOlderThanAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken) =>
        AgedRows.IdsOlderThanAsync(datastore, "songs", cutoff, limit, cancellationToken);

    /// <summary>Every blob hash a song holds, for the sweep of blobs no song holds.</summary>
    internal async Task<HashSet<string>> BlobHashesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await datastore.OpenAsync(cancellationToken).ConfigureAwait(false);
        return [.. await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT DISTINCT blob_hash FROM songs", cancellationToken: cancellationToken)).ConfigureAwait(false)];
    }

    /// <summary>Told the hash of each blob this store removes, for what is kept by it beside the blob (the analysis).</summary>
    internal Action<string> BlobRemoved { get; init; } = _ => { };

    /// <summary>Removes the blob unless a song still holds it; true when it was removed.</summary>
    internal async Task<bool> ReleaseBlobAsync(string hash, CancellationToken cancellationToken)
    {
        if (!await IsUnreferencedAsync(hash, cancellationToken).ConfigureAwait(false)
            || !await blobs.DeleteAsync(hash, token => IsUnreferencedAsync(hash, token), cancellationToken).ConfigureAwait(false))
        {
            return false;
        }
        BlobRemoved(hash);
        return true;
    }

    /// <summary>Whether a song holds the blob <paramref name="hash"/>.</summary>
    internal async Task<bool> HoldsAsync(string hash, CancellationToken cancellationToken)
    {
        await using var connection = await datastore.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM songs WHERE blob_hash = @hash", new { hash }, cancellationToken: cancellationToken)).ConfigureAwait(false) > 0;
    }

    private async Task<bool> IsUnreferencedAsync(string hash, CancellationToken cancellationToken) =>
        !await HoldsAsync(hash, cancellationToken).ConfigureAwait(false);

    private static Task<long> CountAsync(DbConnection connection, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM songs", cancellationToken: cancellationToken));

    private static string OriginText(SongOrigin origin) => origin.ToString().ToLowerInvariant();

    // Times are Unix milliseconds and the origin its lowercase name until here.
    private sealed class SongRow
    {
        public string Id { get; init; } = "";

        public string Title { get; init; } = "";

        public string BlobHash { get; init; } = "";

        public string ContentType { get; init; } = "";

        public long Bytes { get; init; }

        public double? DurationSeconds { get; init; }

        public string Origin { get; init; } = "";

        public string? OwnerUserId { get; init; }

        public long PlayCount { get; init; }

        public long CreatedAt { get; init; }

        public Song ToSong() => new()
        {
            Id = Id,
            Title = Title,
            BlobHash = BlobHash,
            ContentType = ContentType,
            Bytes = Bytes,
            DurationSeconds = DurationSeconds,
            Origin = Enum.Parse<SongOrigin>(Origin, ignoreCase: true),
            OwnerUserId = OwnerUserId,
            PlayCount = PlayCount,
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt),
        };
    }
}
