using Mergepoints.Middleware.Data;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Infrastructure;

/// <summary>
/// A running host with the Hello plugin at <c>/ext</c> over a datastore of one kind, shared by the tests of
/// one class. It starts on first use, inside a test, so a missing PostgreSQL skips (or in CI fails) that test.
/// </summary>
public abstract class HelloSiteBase(DatastoreKind kind) : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly SemaphoreSlim _starting = new(1, 1);
    private TestDatastore? _datastore;
    private RunningSite? _site;

    public async Task<RunningSite> SiteAsync()
    {
        await _starting.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (_site is null)
            {
                HelloPlugin.Build(Path.Combine(_directory.Path, "plugins"));
                _datastore = kind == DatastoreKind.Postgres ? await Databases.CreateAsync(kind) : null;
                _site = await RunningSite.StartAsync(_directory, $$"""
                    {"mounts": [{"path": "/ext", "assembly": "plugins/Hello.dll", "entry": "{{HelloPlugin.Entry}}"}]}
                    """, new Dictionary<string, string?> { ["Datastore:Postgres"] = _datastore?.PostgresConnectionString });
            }
            return _site;
        }
        finally
        {
            _starting.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_site is not null)
        {
            await _site.DisposeAsync();
        }
        if (_datastore is not null)
        {
            await _datastore.DisposeAsync();
        }
        _directory.Dispose();
        _starting.Dispose();
        GC.SuppressFinalize(this);
    }
}
