using Mergepoints.Middleware.Data;

namespace Mergepoints.Mash.Library;

/// <summary>
/// The library's tables in the shared datastore, as versioned migrations: <c>songs</c> (which the counter's
/// write-behind adds plays to: <c>id</c> and <c>play_count</c> are its contract) and <c>mashups</c>. Times are
/// BIGINT Unix milliseconds and booleans INTEGER 0/1, as in the job queue's table, so the same SQL compares and
/// sorts them on SQLite and PostgreSQL. No foreign keys: a mash outlives the songs it was made from (its page
/// still shows it, without their titles), and the job and user it points to are other owners' rows.
/// </summary>
public static class MashSchema
{
    /// <summary>The owner name in <c>schema_migrations</c>.</summary>
    public const string Owner = "mash";

    /// <summary>Every step, oldest first.</summary>
    public static IReadOnlyList<Migration> Migrations { get; } =
    [
        new(1, "create songs and mashups", """
            CREATE TABLE songs (
                id TEXT PRIMARY KEY,
                play_count BIGINT NOT NULL DEFAULT 0,
                title TEXT NOT NULL,
                blob_hash TEXT NOT NULL,
                content_type TEXT NOT NULL,
                bytes BIGINT NOT NULL,
                duration_seconds DOUBLE PRECISION,
                origin TEXT NOT NULL,
                owner_user_id TEXT,
                created_at BIGINT NOT NULL
            );
            CREATE INDEX songs_by_created ON songs (created_at, id);
            CREATE INDEX songs_by_blob ON songs (blob_hash);
            CREATE INDEX songs_by_owner ON songs (owner_user_id, created_at);
            CREATE TABLE mashups (
                id TEXT PRIMARY KEY,
                song_a_id TEXT NOT NULL,
                song_b_id TEXT NOT NULL,
                mix DOUBLE PRECISION NOT NULL,
                mode TEXT NOT NULL,
                unit TEXT NOT NULL,
                envelope INTEGER NOT NULL,
                is_public INTEGER NOT NULL,
                owner_user_id TEXT NOT NULL,
                job_id TEXT,
                output_song_id TEXT,
                created_at BIGINT NOT NULL
            );
            CREATE INDEX mashups_by_owner ON mashups (owner_user_id, created_at);
            CREATE INDEX mashups_gallery ON mashups (is_public, created_at);
            """),
        // The songs list asks, for each song, whether an unlisted mash made it: a look-up by output, not a scan.
        new(2, "index mashups by output song", """
            CREATE INDEX mashups_by_output ON mashups (output_song_id);
            """),
    ];
}
