using Mergepoints.Middleware.Data;

namespace Mergepoints.Middleware.Tests.Infrastructure;

/// <summary>A datastore that exists for one test: its own SQLite file or its own PostgreSQL database.</summary>
public sealed class TestDatastore(Datastore datastore, Func<ValueTask> remove) : IAsyncDisposable
{
    public Datastore Datastore { get; } = datastore;

    public DatastoreKind Kind => Datastore.Kind;

    public ValueTask DisposeAsync() => remove();
}
