namespace Mergepoints.Middleware.Data;

/// <summary>Which database the shared datastore is; the SQL is the same on both.</summary>
public enum DatastoreKind
{
    /// <summary>The embedded default: one file under the data directory, nothing to install.</summary>
    Sqlite,

    /// <summary>For several hosts and workers on several machines.</summary>
    Postgres,
}
