using Mergepoints.Middleware.Data;

namespace Mergepoints.Testing;

/// <summary>A datastore that exists for one test: its own SQLite file or its own PostgreSQL database.</summary>
public sealed class TestDatastore(Datastore datastore, string? PostgresConnectionString, Func<ValueTask> remove) : IAsyncDisposable
{
    public Datastore Datastore { get; } = datastore;

    public DatastoreKind Kind => Datastore.Kind;

    /// <summary>How to reach the database, when it is PostgreSQL: for a host process or config.</summary>
    public string? PostgresConnectionString { get; } = PostgresConnectionString;

    public ValueTask DisposeAsync() => remove();
}
