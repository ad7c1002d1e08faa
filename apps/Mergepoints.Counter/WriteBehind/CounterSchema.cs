namespace Mergepoints.Counter.WriteBehind;

/// <summary>
/// The table the counter owns in the shared datastore, as versioned migrations. Plain tuples, not the host's
/// migration record: this project references nothing of the host's; the host maps them. The SQL runs on SQLite
/// and PostgreSQL alike.
/// </summary>
public static class CounterSchema
{
    /// <summary>The owner name in <c>schema_migrations</c>.</summary>
    public const string Owner = "counter";

    /// <summary>Every step, oldest first.</summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> Migrations { get; } =
    [
        // The ledger that makes write-behind exactly once: a flush batch's row is inserted in the same
        // transaction as its songs' play_count updates, so after a crash the row says whether they happened.
        (1, "create counter_flushes", """
            CREATE TABLE counter_flushes (
                counter_id TEXT NOT NULL,
                seq BIGINT NOT NULL,
                flushed_at TEXT NOT NULL,
                PRIMARY KEY (counter_id, seq)
            )
            """),
    ];
}
