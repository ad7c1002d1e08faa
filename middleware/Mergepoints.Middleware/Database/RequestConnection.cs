using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace Mergepoints.Middleware.Database;

/// <summary>
/// The <c>mergepoints.db</c> of one request: a connection that does not exist until an app first uses it, so
/// an app that never touches the database pays nothing but this small shell. On first use it creates and opens
/// the real connection; disposing it (the middleware does, when the request ends) disposes that.
/// </summary>
internal sealed class RequestConnection : DbConnection
{
    private readonly Func<DbConnection> _create;
    private DbConnection? _inner;

    public RequestConnection(Func<DbConnection> create)
    {
        _create = create;
        // One of these is made per request and always disposed: no finalizer to queue.
        GC.SuppressFinalize(this);
    }

    /// <summary>Whether an app has used the database in this request.</summary>
    public bool Created => _inner is not null;

    [AllowNull]
    public override string ConnectionString
    {
        get => Inner.ConnectionString;
        set => throw new NotSupportedException("The request's connection is configured by the host.");
    }

    public override string Database => Inner.Database;

    public override string DataSource => Inner.DataSource;

    public override string ServerVersion => Opened().ServerVersion;

    public override ConnectionState State => _inner?.State ?? ConnectionState.Closed;

    private DbConnection Inner => _inner ??= _create();

    public override void ChangeDatabase(string databaseName) => Inner.ChangeDatabase(databaseName);

    public override void Close() => _inner?.Close();

    public override void Open() => Inner.Open();

    public override Task OpenAsync(CancellationToken cancellationToken) => Inner.OpenAsync(cancellationToken);

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => Opened().BeginTransaction(isolationLevel);

    protected override async ValueTask<DbTransaction> BeginDbTransactionAsync(IsolationLevel isolationLevel, CancellationToken cancellationToken)
    {
        if (Inner.State != ConnectionState.Open)
        {
            await Inner.OpenAsync(cancellationToken);
        }
        return await Inner.BeginTransactionAsync(isolationLevel, cancellationToken);
    }

    // Commands run on the real connection; Dapper and ADO.NET open a closed connection themselves.
    protected override DbCommand CreateDbCommand() => Inner.CreateCommand();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner?.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_inner is not null)
        {
            await _inner.DisposeAsync();
        }
        await base.DisposeAsync();
    }

    private DbConnection Opened()
    {
        if (Inner.State != ConnectionState.Open)
        {
            Inner.Open();
        }
        return Inner;
    }
}
